package org.ddpp.diffusion.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A bounded replay buffer: uniform sampling with replacement, FIFO eviction once full. DDPP's loss is valid for
 * samples from any full-support distribution, so stale and replayed samples are fine. Thread-safe.
 */
public final class ReplayBuffer<E> {

    private final Object[] items;
    private int next;
    private int size;
    private long added;

    public ReplayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        items = new Object[capacity];
    }

    /** Adds one item, evicting the oldest when full. */
    public synchronized void add(E item) {
        items[next] = item;
        next = (next + 1) % items.length;
        size = Math.min(size + 1, items.length);
        added++;
    }

    /** Adds every item in order. */
    public synchronized void addAll(Iterable<? extends E> batch) {
        for (E e : batch) {
            add(e);
        }
    }

    /** {@code n} items drawn uniformly with replacement. */
    @SuppressWarnings("unchecked")
    public synchronized List<E> sample(int n, SplittableRandom rng) {
        if (size == 0) {
            throw new IllegalStateException("replay buffer is empty");
        }
        List<E> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((E) items[physical(rng.nextInt(size))]);
        }
        return out;
    }

    /** The items from oldest to newest. */
    @SuppressWarnings("unchecked")
    public synchronized List<E> snapshot() {
        List<E> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add((E) items[physical(i)]);
        }
        return out;
    }

    /** The newest {@code n} items (all when fewer are held), oldest first. */
    @SuppressWarnings("unchecked")
    public synchronized List<E> newest(int n) {
        int k = Math.min(Math.max(0, n), size);
        List<E> out = new ArrayList<>(k);
        for (int i = size - k; i < size; i++) {
            out.add((E) items[physical(i)]);
        }
        return out;
    }

    /**
     * Replaces every item by {@code change.apply(item)} in place, keeping the order; items it maps to null leave the
     * buffer. Returns how many left.
     */
    @SuppressWarnings("unchecked")
    public synchronized int replaceAll(java.util.function.UnaryOperator<E> change) {
        List<E> kept = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            E replaced = change.apply((E) items[physical(i)]);
            if (replaced != null) {
                kept.add(replaced);
            }
        }
        int dropped = size - kept.size();
        java.util.Arrays.fill(items, null);
        for (int i = 0; i < kept.size(); i++) {
            items[i] = kept.get(i);
        }
        size = kept.size();
        next = size % items.length;
        return dropped;
    }

    private int physical(int logical) {
        int oldest = size < items.length ? 0 : next;
        return (oldest + logical) % items.length;
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return items.length;
    }

    /** How many items were ever added (including evicted ones). */
    public synchronized long totalAdded() {
        return added;
    }
}

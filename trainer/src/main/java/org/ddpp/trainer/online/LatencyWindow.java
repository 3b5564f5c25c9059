package org.ddpp.trainer.online;

import java.util.Arrays;

/**
 * The most recent N latencies (milliseconds) in a ring, with quantiles: enough to report the end-to-end latency
 * of candidates (created by a sampler → consumed by the trainer) without unbounded memory. Thread-safe.
 */
public final class LatencyWindow {

    private final long[] values;
    private int next;
    private int size;

    public LatencyWindow(int capacity) {
        values = new long[capacity];
    }

    public synchronized void record(long millis) {
        values[next] = millis;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The q-quantile of the window (nearest rank), or NaN when empty. */
    public synchronized double quantile(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))];
    }

    public synchronized int size() {
        return size;
    }
}

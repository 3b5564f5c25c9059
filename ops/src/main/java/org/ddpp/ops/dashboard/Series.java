package org.ddpp.ops.dashboard;

import java.util.Arrays;

/**
 * The time series of one figure of one role instance, bounded in memory: when it reaches its capacity it keeps
 * every other point (always the first and the newest), so a long run still shows from its start at half the resolution instead
 * of losing its beginning. Not thread-safe; {@link MetricsHistory} guards it.
 */
final class Series {

    private final String role;
    private final String instance;
    private final String figure;
    private final int capacity;
    private long[] times;
    private double[] values;
    private int size;

    Series(String role, String instance, String figure, int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("series capacity must be at least 4, got " + capacity);
        }
        this.role = role;
        this.instance = instance;
        this.figure = figure;
        this.capacity = capacity;
        this.times = new long[Math.min(capacity, 64)];
        this.values = new double[times.length];
    }

    void add(long epochMillis, double value) {
        if (size == capacity) {
            thin();
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, Math.min(capacity, times.length * 2));
            values = Arrays.copyOf(values, times.length);
        }
        times[size] = epochMillis;
        values[size] = value;
        size++;
    }

    /** Keeps points 0, 2, 4, … and the newest, so both ends of the series survive every thinning. */
    private void thin() {
        int last = size - 1;
        int kept = 0;
        for (int i = 0; i < last; i += 2) {
            times[kept] = times[i];
            values[kept] = values[i];
            kept++;
        }
        times[kept] = times[last];
        values[kept] = values[last];
        size = kept + 1;
    }

    String role() {
        return role;
    }

    String instance() {
        return instance;
    }

    String figure() {
        return figure;
    }

    int size() {
        return size;
    }

    long[] times() {
        return Arrays.copyOf(times, size);
    }

    double[] values() {
        return Arrays.copyOf(values, size);
    }
}

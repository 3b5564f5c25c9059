package org.ddpp.ops.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddpp.schemas.avro.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard remembers of {@code ddpp.metrics}: a bounded {@link Series} per (role, instance, figure) and
 * the newest record of each (role, instance), so a page opened late still draws the whole run. Thread-safe.
 */
final class MetricsHistory {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistory.class);

    private final int pointsPerSeries;
    private final int maxSeries;
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final Map<String, Metrics> latest = new LinkedHashMap<>();
    private long records;
    private boolean warnedFull;

    /**
     * @param pointsPerSeries points kept per series before it is thinned to half
     * @param maxSeries       series kept in all; figures beyond it are ignored (with one warning)
     */
    MetricsHistory(int pointsPerSeries, int maxSeries) {
        this.pointsPerSeries = pointsPerSeries;
        this.maxSeries = maxSeries;
    }

    /** Adds every figure of {@code m}. */
    synchronized void add(Metrics m) {
        String role = m.getRole();
        String instance = m.getInstance();
        long at = m.getAt().toEpochMilli();
        for (Map.Entry<String, Double> figure : m.getValues().entrySet()) {
            String key = role + '\u0000' + instance + '\u0000' + figure.getKey();
            Series s = series.get(key);
            if (s == null) {
                if (series.size() >= maxSeries) {
                    if (!warnedFull) {
                        LOG.warn("dashboard keeps at most {} series; ignoring new figure {}/{}/{} and later ones",
                                maxSeries, role, instance, figure.getKey());
                        warnedFull = true;
                    }
                    continue;
                }
                s = new Series(role, instance, figure.getKey(), pointsPerSeries);
                series.put(key, s);
            }
            s.add(at, figure.getValue() == null ? Double.NaN : figure.getValue());
        }
        latest.put(role + '\u0000' + instance, m);
        records++;
    }

    /** Records added so far. */
    synchronized long records() {
        return records;
    }

    /** Copies of every series, in the order they first appeared. */
    synchronized List<SeriesView> series() {
        List<SeriesView> out = new ArrayList<>(series.size());
        for (Series s : series.values()) {
            out.add(new SeriesView(s.role(), s.instance(), s.figure(), s.times(), s.values()));
        }
        return out;
    }

    /** The newest record of each role instance. */
    synchronized List<Metrics> latest() {
        return new ArrayList<>(latest.values());
    }

    /** An immutable copy of one series. */
    record SeriesView(String role, String instance, String figure, long[] times, double[] values) {}
}

package org.ddpp.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns a role instance's meters into the named figures of one {@code ddpp.metrics} record, so the topic and
 * Prometheus carry the same numbers under related names. A meter {@code ddpp.<role>.<what>} becomes the figure
 * {@code <what>} with dots as underscores ({@code ddpp.dead.letters} becomes {@code dead_letters}); tags other
 * than the instance's identity are appended as {@code {key="value",…}}, sorted by key. Per kind:
 * <ul>
 *   <li>counter: {@code <what>_total}, and {@code <what>_per_s}, its rate since the previous record;</li>
 *   <li>gauge: {@code <what>} (NaN values are left out);</li>
 *   <li>timer: {@code <what>_seconds_count}, {@code _sum}, {@code _max}, {@code _p50}, {@code _p99} and
 *       {@code _mean} since the previous record;</li>
 *   <li>summary: {@code <what>_count}, {@code _sum}, {@code _max} and {@code _mean} since the previous record.</li>
 * </ul>
 * Keeps the previous totals for the rates and interval means; not thread-safe (one exporter thread calls it).
 */
public final class MetricFigures {

    private final String prefix;
    private final Set<String> identityKeys;
    private final Map<String, double[]> previous = new HashMap<>();
    private long previousNanos;

    public MetricFigures(String role, Set<String> identityKeys) {
        this.prefix = "ddpp." + role + ".";
        this.identityKeys = Set.copyOf(identityKeys);
    }

    /** The figures of {@code meters} now ({@code nanos}: a monotonic clock reading, for the rates). */
    public Map<String, Double> figures(List<Meter> meters, long nanos) {
        double seconds = previousNanos == 0 ? Double.NaN : (nanos - previousNanos) / 1e9;
        previousNanos = nanos;
        Map<String, Double> out = new LinkedHashMap<>();
        for (Meter meter : meters) {
            String base = baseName(meter);
            String tags = tagSuffix(meter);
            if (meter instanceof Counter c) {
                counter(out, base, tags, c.count(), seconds);
            } else if (meter instanceof FunctionCounter c) {
                counter(out, base, tags, c.count(), seconds);
            } else if (meter instanceof Gauge g) {
                put(out, base + tags, g.value());
            } else if (meter instanceof Timer t) {
                String name = base + "_seconds";
                distribution(out, name, tags, t.count(), t.totalTime(TimeUnit.SECONDS), t.max(TimeUnit.SECONDS));
                for (ValueAtPercentile p : t.takeSnapshot().percentileValues()) {
                    put(out, name + "_p" + Math.round(p.percentile() * 100) + tags, p.value(TimeUnit.SECONDS));
                }
            } else if (meter instanceof DistributionSummary s) {
                distribution(out, base, tags, s.count(), s.totalAmount(), s.max());
            }
        }
        return out;
    }

    private void counter(Map<String, Double> out, String base, String tags, double count, double seconds) {
        String key = base + "_total" + tags;
        put(out, key, count);
        double[] last = previous.put(key, new double[] {count});
        if (last != null && seconds > 0) {
            put(out, base + "_per_s" + tags, Math.max(0, count - last[0]) / seconds);
        }
    }

    private void distribution(Map<String, Double> out, String base, String tags, long count, double total, double max) {
        put(out, base + "_count" + tags, (double) count);
        put(out, base + "_sum" + tags, total);
        put(out, base + "_max" + tags, max);
        String key = base + "_mean" + tags;
        double[] last = previous.put(key, new double[] {count, total});
        double lastCount = last == null ? 0 : last[0];
        double lastTotal = last == null ? 0 : last[1];
        if (count > lastCount) {
            put(out, key, (total - lastTotal) / (count - lastCount));
        }
    }

    private static void put(Map<String, Double> out, String key, double value) {
        if (!Double.isNaN(value)) {
            out.put(key, value);
        }
    }

    private String baseName(Meter meter) {
        String name = meter.getId().getName();
        if (name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        } else if (name.startsWith("ddpp.")) {
            name = name.substring("ddpp.".length());
        }
        return name.replace('.', '_');
    }

    private String tagSuffix(Meter meter) {
        Map<String, String> extra = new TreeMap<>();
        for (Tag t : meter.getId().getTagsAsIterable()) {
            if (!identityKeys.contains(t.getKey())) {
                extra.put(t.getKey(), t.getValue());
            }
        }
        if (extra.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        extra.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }
}

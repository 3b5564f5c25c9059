package org.ddpp.scorers.joiner;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The joiner's RocksDB memory as its open stores report it (Kafka Streams' RocksDB property metrics, group
 * {@code stream-state-metrics}), so that the bound of {@link BoundedStateMemory} can be watched and tested. Every
 * store reports the capacity and usage of the cache it uses: with one shared cache these are the same figure for
 * all of them, so the largest is taken; memtables are per store and summed.
 *
 * @param stores            RocksDB stores open in the process
 * @param cacheCapacityBytes the largest block-cache capacity a store reports (the bound, with a shared cache)
 * @param cacheUsageBytes   the largest block-cache usage a store reports (memtables charged to it included)
 * @param memtableBytes     sum of the stores' current memtable sizes
 */
public record StateMemory(int stores, double cacheCapacityBytes, double cacheUsageBytes, double memtableBytes) {

    private static final String GROUP = "stream-state-metrics";

    /** Reads the figures from a Streams instance's metrics; NaN figures where no store is open. */
    public static StateMemory of(Map<MetricName, ? extends Metric> metrics) {
        int stores = 0;
        double capacity = Double.NaN;
        double usage = Double.NaN;
        double memtables = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (!GROUP.equals(name.group()) || !(e.getValue().metricValue() instanceof Number n)) {
                continue;
            }
            double v = n.doubleValue();
            switch (name.name()) {
                case "block-cache-capacity" -> {
                    stores++;
                    capacity = Double.isNaN(capacity) ? v : Math.max(capacity, v);
                }
                case "block-cache-usage" -> usage = Double.isNaN(usage) ? v : Math.max(usage, v);
                case "cur-size-all-mem-tables" -> memtables += v;
                default -> { }
            }
        }
        return new StateMemory(stores, capacity, usage, stores == 0 ? Double.NaN : memtables);
    }
}

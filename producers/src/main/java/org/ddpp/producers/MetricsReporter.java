package org.ddpp.producers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.metrics.MetricsSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a sampler's figures as a {@code Metrics} record (role {@code sampler}, key {@code sampler/<run>}) and
 * logs the same as one progress line, at most once per interval; called from the sampler loop, so a sampler that
 * is paused or waiting still reports.
 */
public final class MetricsReporter {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReporter.class);

    private final MetricsSender sender;
    private final String samplerId;
    private final SamplerMetrics metrics;
    private final long intervalNanos;
    private long lastAt;
    private long lastPublished;

    public MetricsReporter(Producer<byte[], byte[]> producer, Serializer<Metrics> serializer, String topic, String run,
            String samplerId, Map<String, String> labels, SamplerMetrics metrics, long intervalNanos) {
        this.sender = new MetricsSender(producer, serializer, topic, "sampler", samplerId, run, labels);
        this.samplerId = samplerId;
        this.metrics = metrics;
        this.intervalNanos = intervalNanos;
        this.lastAt = System.nanoTime();
    }

    /** Reports when the interval has passed (or always when {@code force}). */
    public void maybeReport(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastAt < intervalNanos) {
            return;
        }
        double seconds = Math.max((now - lastAt) / 1e9, 1e-9);
        long published = metrics.published();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("candidates_per_second", (published - lastPublished) / seconds);
        values.putAll(metrics.values());
        lastAt = now;
        lastPublished = published;
        sender.send(values, Map.of("policy_version", Long.toString(metrics.policyVersion.get())));
        LOG.info("sampler {}: version {} (announced {}), {} candidates ({}/s), outstanding {}{}, swaps {}, bad policy files {}, stale batches dropped {}",
                samplerId, metrics.policyVersion.get(), metrics.announcedVersion.get(), published,
                String.format("%.1f", values.get("candidates_per_second")), metrics.outstanding(),
                metrics.paused() ? " (paused)" : "", metrics.swaps(), metrics.badPolicyFiles(), metrics.staleBatchesDropped());
    }
}

package org.ddpp.schemas.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.avro.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every role publishes its figures: a {@link Metrics} record keyed {@code role/run} on the metrics
 * topic, sent asynchronously. A failure is logged and never thrown, because metrics must not stop a role.
 */
public final class MetricsSender {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsSender.class);

    private final Producer<byte[], byte[]> producer;
    private final Serializer<Metrics> serializer;
    private final String topic;
    private final String role;
    private final String instance;
    private final String run;
    private final Map<String, String> labels;
    private final byte[] key;

    /**
     * @param run the run the figures belong to; roles that serve every run use {@code "all"}
     * @param labels fixed labels sent with every snapshot
     */
    public MetricsSender(Producer<byte[], byte[]> producer, Serializer<Metrics> serializer, String topic, String role,
            String instance, String run, Map<String, String> labels) {
        this.producer = producer;
        this.serializer = serializer;
        this.topic = topic;
        this.role = role;
        this.instance = instance;
        this.run = run;
        this.labels = Map.copyOf(labels);
        this.key = (role + "/" + run).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one snapshot with the fixed labels. */
    public void send(Map<String, Double> values) {
        send(values, Map.of());
    }

    /** Sends one snapshot; {@code extraLabels} are added to (and override) the fixed labels. */
    public void send(Map<String, Double> values, Map<String, String> extraLabels) {
        Map<String, String> all = labels;
        if (!extraLabels.isEmpty()) {
            all = new LinkedHashMap<>(labels);
            all.putAll(extraLabels);
        }
        try {
            Metrics m = Metrics.newBuilder().setRole(role).setInstance(instance).setRun(run).setAt(Instant.now())
                    .setValues(Map.copyOf(values)).setLabels(Map.copyOf(all)).build();
            producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, m)), (meta, e) -> {
                if (e != null) {
                    LOG.warn("{} {}: metrics not published: {}", role, instance, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{} {}: metrics not published: {}", role, instance, e.toString());
        }
    }
}

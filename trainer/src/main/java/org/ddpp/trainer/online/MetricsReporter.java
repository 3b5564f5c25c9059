package org.ddpp.trainer.online;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes a role's figures as {@code Metrics} records on {@code ddpp.metrics} (key: role/run) for the dashboard. */
public final class MetricsReporter {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReporter.class);

    private final String role;
    private final String instance;
    private final String run;
    private final Producer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<Metrics> values;

    public MetricsReporter(String role, String instance, String run, Producer<byte[], byte[]> producer,
            Serializer<String> keys, Serializer<Metrics> values) {
        this.role = role;
        this.instance = instance;
        this.run = run;
        this.producer = producer;
        this.keys = keys;
        this.values = values;
    }

    /** Sends one snapshot (asynchronously; a failure is logged, never thrown: metrics must not stop training). */
    public void report(Map<String, Double> figures, Map<String, String> labels) {
        Metrics m = Metrics.newBuilder().setRole(role).setInstance(instance).setRun(run).setAt(Instant.now())
                .setValues(figures).setLabels(labels).build();
        String topic = Topics.METRICS.name();
        try {
            producer.send(new ProducerRecord<>(topic, keys.serialize(topic, role + "/" + run), values.serialize(topic, m)),
                    (meta, e) -> {
                        if (e != null) {
                            LOG.warn("metrics not sent: {}", e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("metrics not sent: {}", e.toString());
        }
    }
}

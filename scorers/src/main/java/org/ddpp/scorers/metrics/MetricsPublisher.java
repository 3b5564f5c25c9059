package org.ddpp.scorers.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.metrics.MetricsSender;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a role instance's figures as {@link Metrics} records to the metrics topic every interval (and once
 * more on close), with its own plain producer: metrics are best-effort and never part of a role's transactions.
 * The key is {@code role/run}, as docs/architecture.md ("Topics and records") says.
 */
public final class MetricsPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

    private final Supplier<Map<String, Double>> values;
    private final KafkaProducer<byte[], byte[]> producer;
    private final MetricsSender sender;
    private final ScheduledExecutorService timer;

    /** Starts publishing {@code values} every {@code interval}. */
    public MetricsPublisher(ClusterConnection connection, CachedSchemaRegistry registry, String topic, String role,
            String instance, String run, Map<String, String> labels, Supplier<Map<String, Double>> values,
            Duration interval) {
        this.values = values;
        Map<String, Object> props = connection.producerProperties("ddpp-" + role + "-metrics-" + instance);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000); // best effort: never hold a role (or its shutdown) for a minute
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        Serializer<Metrics> serializer = new AvroSerializer<>(registry, true, false);
        this.sender = new MetricsSender(producer, serializer, topic, role, instance, run, labels);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ddpp-" + role + "-metrics");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::publishNow, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Publishes one snapshot now; failures are logged, never thrown (metrics must not stop a role). */
    public void publishNow() {
        try {
            sender.send(values.get());
        } catch (RuntimeException e) {
            LOG.warn("cannot collect metrics: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        publishNow();
        producer.close(Duration.ofSeconds(5));
    }
}

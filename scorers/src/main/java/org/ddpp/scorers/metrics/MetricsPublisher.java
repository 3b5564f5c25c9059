package org.ddpp.scorers.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a role instance's figures as {@link Metrics} records to the metrics topic every interval (and once
 * more on close), with its own plain producer: metrics are best-effort and never part of a role's transactions.
 * The key is {@code role/run}, as DESIGN.md §3 says.
 */
public final class MetricsPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

    private final String topic;
    private final String role;
    private final String instance;
    private final String run;
    private final Map<String, String> labels;
    private final Supplier<Map<String, Double>> values;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<Metrics> serializer;
    private final ScheduledExecutorService timer;

    /** Starts publishing {@code values} every {@code interval}. */
    public MetricsPublisher(String bootstrapServers, CachedSchemaRegistry registry, String topic, String role,
            String instance, String run, Map<String, String> labels, Supplier<Map<String, Double>> values,
            Duration interval) {
        this.topic = topic;
        this.role = role;
        this.instance = instance;
        this.run = run;
        this.labels = Map.copyOf(labels);
        this.values = values;
        this.serializer = new AvroSerializer<>(registry, true, false);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "ddpp-" + role + "-metrics-" + instance,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
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
            Metrics snapshot = Metrics.newBuilder().setRole(role).setInstance(instance).setRun(run)
                    .setAt(Instant.now()).setValues(values.get()).setLabels(labels).build();
            producer.send(new ProducerRecord<>(topic, role + "/" + run, serializer.serialize(topic, snapshot)), (m, e) -> {
                if (e != null) {
                    LOG.warn("cannot publish {} metrics: {}", role, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("cannot publish {} metrics: {}", role, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        publishNow();
        producer.close(Duration.ofSeconds(5));
    }
}

package org.ddpp.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a role instance's meters to the {@code ddpp.metrics} topic every interval (and once more on close) as
 * {@link Metrics} records keyed {@code role/run}, with the figures {@link MetricFigures} names — the second export
 * of the numbers Prometheus scrapes, so the dashboard and Prometheus never disagree. It has its own plain producer:
 * metrics are best-effort, never part of a role's transactions, and a failure is logged, never thrown.
 */
public final class MetricsExporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);

    private final RoleMeters meters;
    private final Producer<byte[], byte[]> producer;
    private final Serializer<Metrics> serializer;
    private final String topic;
    private final byte[] key;
    private final Supplier<Map<String, String>> labels;
    private final MetricFigures figures;
    private final ScheduledExecutorService timer;

    private MetricsExporter(RoleMeters meters, ClusterConnection connection, Duration interval,
            Supplier<Map<String, String>> labels) {
        this.meters = meters;
        this.labels = labels;
        Map<String, Object> props = connection.producerProperties("ddpp-" + meters.role() + "-metrics-" + meters.instance());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000); // never hold a role (or its shutdown) for a minute
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer = Topics.METRICS.valueSerde(connection.cachedRegistry(), true).serializer();
        this.topic = connection.topics().metrics();
        this.key = (meters.role() + "/" + meters.run()).getBytes(StandardCharsets.UTF_8);
        this.figures = new MetricFigures(meters.role(), meters.identityKeys());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ddpp-" + meters.role() + "-metrics");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleAtFixedRate(this::exportNow, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts exporting {@code meters} every {@code interval}.
     *
     * @param labels descriptive labels of each record besides the instance's identity (task, reward spec, …),
     *               read at each export so a label may change while the role runs
     */
    public static MetricsExporter start(RoleMeters meters, ClusterConnection connection, Duration interval,
            Supplier<Map<String, String>> labels) {
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(labels, "labels");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("metrics interval must be positive, got " + interval);
        }
        return new MetricsExporter(meters, connection, interval, labels);
    }

    /** Sends one record with the meters' figures now. */
    public synchronized void exportNow() {
        try {
            Map<String, String> all = new LinkedHashMap<>(meters.identityLabels());
            all.putAll(labels.get());
            Metrics m = Metrics.newBuilder().setRole(meters.role()).setInstance(meters.instance()).setRun(meters.run())
                    .setAt(Instant.now()).setValues(figures.figures(meters.meters(), System.nanoTime()))
                    .setLabels(all).build();
            producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, m)), (meta, e) -> {
                if (e != null) {
                    LOG.warn("{} {}: metrics not published: {}", meters.role(), meters.instance(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{} {}: metrics not published: {}", meters.role(), meters.instance(), e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        exportNow();
        producer.close(Duration.ofSeconds(5));
    }
}

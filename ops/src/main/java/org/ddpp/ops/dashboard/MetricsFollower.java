package org.ddpp.ops.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code ddpp.metrics} from its beginning on a thread of its own and hands each decoded record to a sink.
 * No consumer group: the dashboard is a viewer, it commits nothing and never joins a rebalance; it assigns every
 * partition itself (waiting for the topic to exist). A record it cannot decode is logged and skipped — the
 * dashboard shows what it can and never stops on one bad record.
 */
final class MetricsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsFollower.class);
    private final String topic;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Metrics> values;
    /** The run id of roles that serve every run (scorers, the joiner); their figures are always shown. */
    static final String ALL_RUNS = "all";

    private final String run;
    private final Consumer<Metrics> sink;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile boolean assigned;
    private volatile boolean started;
    private long skipped;

    /** @param run only records of this run (and of roles that serve all runs) reach the sink; null for every run */
    MetricsFollower(org.ddpp.runtime.ClusterConnection connection, Deserializer<Metrics> values, String run, Consumer<Metrics> sink) {
        this.topic = connection.topics().metrics();
        Map<String, Object> props = connection.consumerProperties("ddpp-dashboard");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.values = values;
        this.run = run;
        this.sink = sink;
        this.thread = new Thread(this::loop, "dashboard-metrics");
        this.thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    /** True once the topic's partitions are assigned and being read. */
    boolean following() {
        return assigned;
    }

    private void loop() {
        try {
            while (running.get()) {
                if (!assigned) {
                    assign();
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("metrics consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("dashboard stopped reading {}: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            partitions = List.of();
            LOG.debug("cannot list partitions of {} yet: {}", topic, e.toString());
        }
        if (partitions == null || partitions.isEmpty()) {
            LOG.info("waiting for topic {}", topic);
            sleep(500);
            return;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        assigned = true;
        LOG.info("dashboard reading {} from the beginning ({} partition(s))", topic, tps.size());
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        Metrics m;
        try {
            m = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            if (skipped++ < 10) {
                LOG.warn("skipping undecodable metrics record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
            return;
        }
        if (m == null || (run != null && !run.equals(m.getRun()) && !ALL_RUNS.equals(m.getRun()))) {
            return;
        }
        try {
            sink.accept(m);
        } catch (RuntimeException e) {
            LOG.warn("dashboard could not take metrics record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        Shutdown.await(thread, Duration.ofSeconds(5));
    }
}

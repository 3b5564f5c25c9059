package org.ddpp.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.ddpp.runtime.ClusterConnection;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's storage: a compacted one-partition Kafka topic ({@code _schemas}) replayed into a
 * {@link RegistryState} by a background reader. Writes go to the topic first and return only after the reader
 * has applied them, so every instance — and every restart — builds the same state from the same log.
 */
final class SchemaLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);

    private final Admin admin;
    private final String topic;
    private final TopicPartition partition;
    private final Duration timeout;
    private final RegistryState state;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private final Object progress = new Object();
    private long applied; // next offset to apply
    private volatile RuntimeException failure;
    private volatile boolean running = true;

    SchemaLog(ClusterConnection connection, String topic, Duration timeout, RegistryState state) {
        String bootstrapServers = connection.bootstrapServers();
        Map<String, Object> adminProps = connection.adminProperties("ddpp-registry-admin");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Map<String, Object> producerProps = connection.producerProperties("ddpp-registry-writer");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Map<String, Object> consumerProps = connection.consumerProperties("ddpp-registry-reader");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
        this.state = state;
        this.admin = Admin.create(adminProps);
        try {
            ensureTopic(admin, topic, connection.replication());
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw new IllegalStateException("cannot use storage topic " + topic + " on Kafka at " + bootstrapServers
                    + ": " + e.getMessage(), e);
        }
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.reader = new Thread(this::read, "ddpp-registry-reader");
        reader.setDaemon(true);
    }

    /** Starts the reader and waits until it has replayed the whole topic. */
    void start() {
        long end = endOffset();
        reader.start();
        awaitApplied(end);
        LOG.info("schema registry state rebuilt from {} records of {}", end, topic);
    }

    private long endOffset() {
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.store("interrupted while reading the end of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw RegistryError.store("cannot read the end offset of " + topic + ": " + e, e);
        }
    }

    /** Appends one record (null value deletes the key) and waits until the state includes it. */
    void append(String key, String value) {
        try {
            long offset = producer.send(new ProducerRecord<>(topic, 0, key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
            awaitApplied(offset + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.store("interrupted while writing " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw RegistryError.store("cannot write to " + topic + ": " + e, e);
        }
    }

    /** Waits until the reader has applied everything now in the topic, so a write sees the newest state. */
    void catchUp() {
        awaitApplied(endOffset());
    }

    private void awaitApplied(long offset) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (applied < offset) {
                if (failure != null) {
                    throw RegistryError.store("reader of " + topic + " failed: " + failure.getMessage(), failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw RegistryError.store("timed out reading " + topic + " up to offset " + offset, null);
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RegistryError.store("interrupted while reading " + topic, e);
                }
            }
        }
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    if (record.key() != null) {
                        state.apply(record.key(), record.value());
                    }
                }
                long position = consumer.position(partition);
                synchronized (progress) {
                    applied = position;
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("registry reader stopped: {}", e.toString());
            failure = e;
            synchronized (progress) {
                progress.notifyAll();
            }
        } finally {
            consumer.close();
        }
    }

    private static void ensureTopic(Admin admin, String topic, org.ddpp.schemas.Replication replication) {
        TopicSpec<?, ?> spec = topic.equals(Topics.SCHEMAS.name()) ? Topics.SCHEMAS
                : new TopicSpec<>(topic, 1, true, String.class, String.class, "schema registry log");
        Topics.create(admin, List.of(spec), replication); // replicated like the pipeline's topics
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Shutdown.await(reader, Duration.ofSeconds(10));
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}

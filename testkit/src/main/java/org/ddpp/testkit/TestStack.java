package org.ddpp.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.registry.RegistryServer;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * One embedded broker and registry shared by every integration test in this JVM (started on first use, stopped
 * at exit), plus small client helpers. Tests isolate themselves by unique ids, not by separate brokers: one broker
 * per test JVM keeps each module's integration tests fast and their memory bounded.
 */
public final class TestStack {

    private static TestStack instance;

    public final EmbeddedKafka kafka;
    public final RegistryServer registry;

    private TestStack(EmbeddedKafka kafka, RegistryServer registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static synchronized TestStack get() {
        if (instance == null) {
            try {
                EmbeddedStack stack = EmbeddedStack.builder().setDataDir(Files.createTempDirectory("ddpp-test-kafka")).start();
                instance = new TestStack(stack.kafka(), stack.registry());
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** How roles reach the shared test stack (default topic names). */
    public org.ddpp.runtime.ClusterConnection connection() {
        return org.ddpp.runtime.ClusterConnection.local(bootstrap(), registry.url());
    }

    /** The same with every topic and group name suffixed, for a test's isolated pipeline. */
    public org.ddpp.runtime.ClusterConnection connection(org.ddpp.runtime.TopicNames names) {
        return connection().withTopics(names);
    }

    public SchemaRegistryClient client() {
        return SchemaRegistryClient.of(registry.url());
    }

    public CachedSchemaRegistry cache() {
        return new CachedSchemaRegistry(client());
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /**
     * Reads {@code topic} from the start until {@code wanted} records match; a 60 s guard turns a hang into a
     * failure (it is not a speed assertion).
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match, int wanted) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            Wait.explained(() -> "found only " + found.size() + " of " + wanted + " records in " + topic,
                    () -> Wait.atMost(Duration.ofSeconds(60), Duration.ZERO).until(() -> {
                        if (found.size() < wanted) {
                            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                                if (match.test(record)) {
                                    found.add(record);
                                }
                            }
                        }
                        return found.size() >= wanted;
                    }));
        }
        return found;
    }
}

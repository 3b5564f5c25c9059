package org.ddpp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft node: topics from {@link Topics}, data that survives a restart on the same directory. */
class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void createsTheTopicsAndKeepsDataAcrossARestart() throws Exception {
        String value = "kept-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(dir).start()) {
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
            try (Admin admin = kafka.admin()) {
                Set<String> names = admin.listTopics().names().get();
                for (TopicSpec<?, ?> spec : Topics.all()) {
                    assertTrue(names.contains(spec.name()), spec.name());
                }
                var described = admin.describeTopics(List.of(Topics.CANDIDATES.name())).allTopicNames().get();
                assertEquals(Topics.CANDIDATES.partitions(), described.get(Topics.CANDIDATES.name()).partitions().size());
                ConfigResource policy = new ConfigResource(ConfigResource.Type.TOPIC, Topics.POLICY.name());
                Config config = admin.describeConfigs(List.of(policy)).all().get().get(policy);
                assertEquals("compact", config.get("cleanup.policy").value());
                // creating again is a no-op
                assertEquals(Set.of(), Topics.create(admin, Topics.all(), org.ddpp.schemas.Replication.AUTO));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.METRICS.name(), "k", value)).get();
            }
        }
        assertTrue(Files.exists(dir.resolve("kraft").resolve("meta.properties")));
        try (EmbeddedKafka again = EmbeddedKafka.builder().setDataDir(dir).start();
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.METRICS.name()));
            AtomicReference<String> seen = new AtomicReference<>();
            Wait.atMost(Duration.ofSeconds(60), Duration.ZERO).alias("a record in " + Topics.METRICS.name() + " after the restart")
                    .until(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            seen.set(record.value());
                        }
                        return seen.get() != null;
                    });
            assertEquals(value, seen.get());
        }
        assertTrue(new String(Files.readAllBytes(dir.resolve("server.properties")), StandardCharsets.UTF_8).contains("process.roles"));
    }
}

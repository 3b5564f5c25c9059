package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.registry.SchemaRegistryException;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy follower without a broker (Kafka's MockConsumer/MockProducer): it reads the whole topic before acting,
 * fetches only the newest version of its own run, ignores other runs, and dead-letters a version whose file does
 * not match its sha256 while the verified one stays ready.
 */
class PolicyFollowerTest {

    /** Waits only turn a hang into a failure; they are not speed assertions. */
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(10);

    private static final String TOPIC = "policy";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir Path dir;

    @Test
    void fetchesOnlyTheNewestVersionOfItsRunAndDeadLettersABadOne() throws Exception {
        CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
        Serializer<PolicyUpdate> updates = new AvroSerializer<>(registry, true, false);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 3L));
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        SamplerMeters metrics = SamplerMeters.standalone();
        PolicyRejections rejections = new PolicyRejections(
                new DeadLetterPublisher(producer, new AvroSerializer<>(registry, true, false), "dlq"), metrics, "s1");
        PolicyFollower follower = new PolicyFollower("r1", TOPIC, consumer, new AvroDeserializer<>(registry, PolicyUpdate.class),
                new PolicyFetcher(dir.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(5), true, PolicyFetcher.DEFAULT_MAX_BYTES), rejections, metrics, () -> 0L);
        Thread thread = new Thread(follower, "follower-test");
        thread.start();
        try {
            Wait.atMost(LIMIT, POLL).until(() -> !consumer.assignment().isEmpty());
            assertFalse(follower.caughtUp());
            byte[] v2 = "weights of version 2".getBytes(StandardCharsets.UTF_8);
            Path v2File = Files.write(dir.resolve("v2.params"), v2);
            consumer.addRecord(record(0, "other-run", update(updates, "other-run", 9, dir.resolve("missing").toUri().toString(), sha(v2), 1)));
            consumer.addRecord(record(1, "r1", update(updates, "r1", 1, dir.resolve("missing").toUri().toString(), sha(v2), 1)));
            consumer.addRecord(record(2, "r1", update(updates, "r1", 2, v2File.toUri().toString(), sha(v2), v2.length)));
            Wait.atMost(LIMIT, POLL).until(() -> follower.pendingVersion() == 2 && follower.caughtUp());
            assertEquals(2, metrics.announcedVersion.get(), "the other run's version 9 is not counted");
            assertEquals(0, (long) metrics.rejectedPolicies.count(), "version 1 (a missing file) was never fetched");

            consumer.addRecord(record(3, "r1", update(updates, "r1", 3, v2File.toUri().toString(), "0".repeat(64), v2.length)));
            Wait.atMost(LIMIT, POLL).until(() -> (long) metrics.rejectedPolicies.count() == 1 && producer.history().size() == 1);
            assertEquals(2, follower.pendingVersion(), "the verified version 2 stays ready");
            VerifiedWeights ready = follower.takeReady();
            assertEquals(2, ready.version());
            assertArrayEquals(v2, Files.readAllBytes(ready.file()));
            assertNull(follower.takeReady());
            ready.discard();

            assertEquals(1, producer.history().size());
            DeadLetter letter = new AvroDeserializer<>(registry, DeadLetter.class).deserialize("dlq", producer.history().get(0).value());
            assertEquals(PolicyRejections.STAGE, letter.getStage());
            assertEquals(3L, letter.getSourceOffset());
            assertTrue(letter.getReason().startsWith("policy version 3: weights at"), letter.getReason());
        } finally {
            follower.stop();
            thread.join(10_000);
        }
        assertFalse(thread.isAlive());
    }

    @Test
    void aVersionFarBeyondEveryKnownOneIsRejectedAndDoesNotBlockTheRealNextOne() throws Exception {
        CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
        Serializer<PolicyUpdate> updates = new AvroSerializer<>(registry, true, false);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 0L));
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        SamplerMeters metrics = SamplerMeters.standalone();
        PolicyFollower follower = new PolicyFollower("r1", TOPIC, consumer, new AvroDeserializer<>(registry, PolicyUpdate.class),
                new PolicyFetcher(dir.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(5), true, PolicyFetcher.DEFAULT_MAX_BYTES),
                new PolicyRejections(new DeadLetterPublisher(producer, new AvroSerializer<>(registry, true, false), "dlq"), metrics, "s1"),
                metrics, () -> 5L); // the sampler runs version 5
        Thread thread = new Thread(follower, "follower-implausible-test");
        thread.start();
        try {
            Wait.atMost(LIMIT, POLL).until(() -> !consumer.assignment().isEmpty());
            byte[] w = "real weights".getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(dir.resolve("w.params"), w);
            // the real weights of a real version, replayed under a crafted version number
            consumer.addRecord(record(0, "r1", update(updates, "r1", Long.MAX_VALUE / 10, file.toUri().toString(), sha(w), w.length)));
            consumer.addRecord(record(1, "r1", update(updates, "r1", 0, file.toUri().toString(), sha(w), w.length)));
            Wait.atMost(LIMIT, POLL).until(() -> producer.history().size() == 2);
            consumer.addRecord(record(2, "r1", update(updates, "r1", 6, file.toUri().toString(), sha(w), w.length)));
            java.util.concurrent.atomic.AtomicReference<VerifiedWeights> ready = new java.util.concurrent.atomic.AtomicReference<>();
            Wait.atMost(LIMIT, POLL).until(() -> {
                VerifiedWeights taken = follower.takeReady(); // pendingVersion() turns 6 while the fetch is still running
                if (taken != null) {
                    ready.set(taken);
                }
                return ready.get() != null;
            });
            assertEquals(6, ready.get().version(), "the real next version is installed");
            ready.get().discard();
            AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
            for (int i = 0; i < 2; i++) {
                DeadLetter letter = letters.deserialize("dlq", producer.history().get(i).value());
                assertTrue(letter.getReason().contains("implausible policy version"), letter.getReason());
            }
            assertEquals(6, metrics.announcedVersion.get(), "rejected versions are not counted as announced");
        } finally {
            follower.stop();
            thread.join(10_000);
        }
    }

    @Test
    void aRegistryOutageIsRetriedNotDeadLettered() throws Exception {
        CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
        Serializer<PolicyUpdate> updates = new AvroSerializer<>(registry, true, false);
        AvroDeserializer<PolicyUpdate> real = new AvroDeserializer<>(registry, PolicyUpdate.class);
        AtomicInteger outages = new AtomicInteger(1);
        Deserializer<PolicyUpdate> flaky = new Deserializer<>() {
            @Override
            public PolicyUpdate deserialize(String topic, byte[] data) {
                if (outages.getAndDecrement() > 0) {
                    throw new SerializationException("cannot fetch schema",
                            new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "connection refused"));
                }
                return real.deserialize(topic, data);
            }
        };
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 1L));
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        SamplerMeters metrics = SamplerMeters.standalone();
        PolicyFollower follower = new PolicyFollower("r1", TOPIC, consumer, flaky,
                new PolicyFetcher(dir.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(5), true, PolicyFetcher.DEFAULT_MAX_BYTES),
                new PolicyRejections(new DeadLetterPublisher(producer, new AvroSerializer<>(registry, true, false), "dlq"), metrics, "s1"),
                metrics, () -> 0L);
        Thread thread = new Thread(follower, "follower-outage-test");
        thread.start();
        try {
            Wait.atMost(LIMIT, POLL).until(() -> !consumer.assignment().isEmpty());
            byte[] v1 = "weights of version 1".getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(dir.resolve("v1.params"), v1);
            ConsumerRecord<byte[], byte[]> announcement = record(0, "r1", update(updates, "r1", 1, file.toUri().toString(), sha(v1), v1.length));
            consumer.addRecord(announcement);
            Wait.atMost(LIMIT, POLL).until(() -> (long) metrics.errors.count() == 1);
            Wait.atMost(LIMIT, POLL).until(() -> consumer.position(TP) == 0); // the follower went back to the record
            consumer.addRecord(announcement); // MockConsumer forgets polled records; Kafka would deliver it again
            Wait.atMost(LIMIT, POLL).until(() -> {
                VerifiedWeights w = follower.takeReady();
                if (w == null) {
                    return false;
                }
                assertEquals(1, w.version());
                w.discard();
                return true;
            });
            assertEquals(0, producer.history().size(), "nothing dead-lettered");
            assertEquals(0, (long) metrics.rejectedPolicies.count());
            assertEquals(1, (long) metrics.errors.count(), "the outage is counted as an error");
        } finally {
            follower.stop();
            thread.join(10_000);
        }
    }

    private static byte[] update(Serializer<PolicyUpdate> serializer, String run, long version, String uri, String sha, long size) {
        return serializer.serialize(TOPIC, PolicyUpdate.newBuilder().setRun(run).setVersion(version).setStep(version * 10)
                .setUri(uri).setSha256(sha).setSizeBytes(size).setCreatedAt(Instant.now()).setDetails(Map.of()).build());
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

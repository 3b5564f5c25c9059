package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;

/**
 * The joiner's RocksDB stores stay under one configured memory bound through rebalances: a second instance of the
 * same application joins and leaves three times, so every task's stores are closed on one instance and opened on
 * the other, and after each move every open store uses the one shared cache of the configured size (Kafka Streams'
 * default is a 50 MB cache per store, so twelve stores could hold 600 MB of cache, allocated again at each reopen).
 * Joining goes on throughout: every candidate is joined exactly once. A stopped instance leaves its group, so its
 * tasks move within seconds rather than after the session timeout.
 */
class BoundedStateMemoryTest {

    private static final int BOUND_MB = 16;

    private final TestStack stack = TestStack.get();
    private final CachedSchemaRegistry registry = stack.cache();
    private final TopicNames topics = TopicNames.isolated("", "-memory-" + UUID.randomUUID().toString().substring(0, 8));
    private final ClusterConnection connection = stack.connection(topics);

    @Test
    void everyStoreSharesOneBoundedCacheAcrossRebalances() throws Exception {
        connection.createMissingTopics();
        try (RewardJoiner first = RewardJoiner.start(config());
                KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            assertTrue(first.awaitRunning(Duration.ofSeconds(60)), "joiner did not start");
            int sent = 0;
            sent = send(producer, sent, 20);
            assertBounded(first, "at start");
            for (int round = 1; round <= 3; round++) {
                try (RewardJoiner second = RewardJoiner.start(config())) {
                    // tasks move to the new instance: both run, each with some of the stores
                    Wait.atMost(Duration.ofSeconds(60), Duration.ofMillis(200)).until(() ->
                            second.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                                    && first.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                                    && second.stateMemory().stores() > 0);
                    sent = send(producer, sent, 20);
                    assertBounded(first, "round " + round + ", beside a second instance");
                    assertBounded(second, "round " + round + ", the second instance");
                }
                // the second instance left its group on close: its tasks are reopened on the first well before the
                // 45 s session timeout would have handed them over
                Wait.atMost(Duration.ofSeconds(30), Duration.ofMillis(200)).until(() ->
                        first.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                                && first.stateMemory().stores() == 3 * 4);
                sent = send(producer, sent, 20);
                assertBounded(first, "round " + round + ", tasks back");
            }

            AvroDeserializer<ScoredCandidate> rewards = new AvroDeserializer<>(registry, ScoredCandidate.class);
            List<ConsumerRecord<byte[], byte[]>> joined = stack.readUntil(topics.rewards(), r -> true, sent);
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : joined) {
                assertTrue(ids.add(rewards.deserialize(r.topic(), r.value()).getCandidate().getId()), "joined twice");
            }
            assertEquals(sent, ids.size());
        }
    }

    private JoinerConfig config() throws java.io.IOException {
        return JoinerConfig.builder().setConnection(connection).opt(JoinerSettings.APPLICATION_ID, "ddpp-joiner")
                .optComposition(RewardComposition.parse("a=1", -20)).opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(60))
                .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofMillis(500)).opt(JoinerSettings.TRANSACTION_CHECK, Duration.ZERO)
                .opt(JoinerSettings.STATE_MEMORY_MB, BOUND_MB)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("ddpp-joiner-memory")).build();
    }

    private static void assertBounded(RewardJoiner joiner, String when) {
        StateMemory memory = joiner.stateMemory();
        assertTrue(memory.stores() > 0, when + ": no RocksDB store reported");
        assertEquals(BOUND_MB * (1L << 20), memory.cacheCapacityBytes(), 0.0, when + ": the stores' cache is not the bound");
        assertTrue(memory.cacheUsageBytes() <= memory.cacheCapacityBytes(), when + ": usage " + memory.cacheUsageBytes());
    }

    /** Sends {@code n} candidates with their score; returns how many were sent in all. */
    private int send(KafkaProducer<byte[], byte[]> producer, int from, int n) throws Exception {
        AvroSerializer<Candidate> candidates = new AvroSerializer<>(registry, true, false);
        AvroSerializer<Score> scores = new AvroSerializer<>(registry, true, false);
        for (int i = from; i < from + n; i++) {
            String id = "c" + i;
            producer.send(new ProducerRecord<>(topics.candidates(), JoinerRecords.key(id), candidates.serialize(topics.candidates(), JoinerRecords.candidate(id))));
            producer.send(new ProducerRecord<>(topics.scores(), JoinerRecords.key(id), scores.serialize(topics.scores(), JoinerRecords.score(id))));
        }
        producer.flush();
        return from + n;
    }
}

package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.testkit.EmbeddedStack;
import org.ddpp.testkit.GhostTransactions;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction left open on {@code ddpp.scores} that its coordinator will never end (seen after a kill -9 of the
 * broker while a transaction committed: the coordinator recorded the commit, no marker reached the partitions)
 * stops every read_committed reader of those partitions at its first offset. Before the fix the joiner waited
 * there for good, so every later candidate timed out; now its transaction watchdog finds the hanging transaction
 * within two checks, aborts it, and the scores behind it are joined.
 */
class HangingTransactionTest {

    @TempDir Path dir;

    @Test
    void aHangingTransactionOnTheScoresIsAbortedAndTheScoresBehindItAreJoined() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.builder().setDataDir(dir.resolve("kafka"))
                .optBrokerProperty(GhostTransactions.BROKER_PROPERTY, "false").start()) {
            ClusterConnection connection = stack.connection();
            connection.createMissingTopics();
            CachedSchemaRegistry registry = connection.cachedRegistry();
            int partitions;
            TransactionDescription ghost;
            try (Admin admin = connection.admin("hanging-test");
                    KafkaProducer<byte[], byte[]> owner = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ghost-scorer"), new ByteArraySerializer(), new ByteArraySerializer())) {
                owner.initTransactions(); // a producer the coordinator knows, with no transaction open
                ghost = admin.describeTransactions(List.of("ghost-scorer")).all().get().get("ghost-scorer");
                partitions = admin.describeTopics(List.of(connection.topics().scores())).allTopicNames().get()
                        .get(connection.topics().scores()).partitions().size();
                for (int p = 0; p < partitions; p++) {
                    GhostTransactions.open(stack.bootstrapServers(), new TopicPartition(connection.topics().scores(), p),
                            "ghost-scorer", ghost.producerId(), (short) ghost.producerEpoch());
                }
            }
            JoinerConfig config = JoinerConfig.builder().setConnection(connection)
                    .optComposition(RewardComposition.parse("a=1", -20)).opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofMinutes(2))
                    .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofMillis(500)).opt(JoinerSettings.METRICS_INTERVAL, Duration.ofSeconds(1))
                    .opt(JoinerSettings.TRANSACTION_CHECK, Duration.ofSeconds(1))
                    .opt(JoinerSettings.STATE_DIR, Files.createDirectories(dir.resolve("state"))).build();
            List<String> ids = List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8");
            try (RewardJoiner joiner = RewardJoiner.start(config);
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                assertTrue(joiner.awaitRunning(Duration.ofSeconds(60)), "joiner did not start");
                AvroSerializer<Candidate> candidates = new AvroSerializer<>(registry, true, false);
                AvroSerializer<Score> scores = new AvroSerializer<>(registry, true, false);
                for (String id : ids) {
                    producer.send(new ProducerRecord<>(connection.topics().candidates(), JoinerRecords.key(id),
                            candidates.serialize(connection.topics().candidates(), JoinerRecords.candidate(id))));
                    producer.send(new ProducerRecord<>(connection.topics().scores(), JoinerRecords.key(id),
                            scores.serialize(connection.topics().scores(), JoinerRecords.score(id))));
                }
                producer.flush();

                AvroDeserializer<ScoredCandidate> rewards = new AvroDeserializer<>(registry, ScoredCandidate.class);
                List<String> joined = new java.util.ArrayList<>();
                try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
                        "bootstrap.servers", stack.bootstrapServers(), "group.id", "hanging-test-reader",
                        "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(connection.topics().rewards()));
                    // far below the join timeout: a reward comes only once the scores behind the ghosts are read
                    Wait.explained(() -> "joined only " + joined + "; hanging transactions aborted: " + joiner.meters().value("hanging_transactions_aborted"),
                            () -> Wait.atMost(Duration.ofSeconds(60), Duration.ZERO).until(() -> {
                                consumer.poll(Duration.ofMillis(200)).forEach(r ->
                                        joined.add(rewards.deserialize(r.topic(), r.value()).getCandidate().getId()));
                                return joined.size() >= ids.size();
                            }));
                }
                assertEquals(ids, joined.stream().sorted().toList());
                assertEquals(partitions, (long) joiner.meters().value("hanging_transactions_aborted"),
                        "one abort per partition that held a ghost");
            }
        }
    }
}

package org.ddpp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RewardConfigFollower;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.junit.jupiter.api.Test;

/**
 * What every role knows of a run's reward configurations, on a real broker: versions read from the beginning (a
 * follower that starts late still knows them all), one run's or every run's, and records that must not be applied
 * (undecodable, breaking the rules, repeating a version with other content, keyed by another run, jumping
 * implausibly far) dead-lettered with their reason while the good ones around them are applied.
 */
class RewardConfigFollowerTest {

    private final TestStack stack = TestStack.get();
    private final ClusterConnection connection = stack.connection(
            TopicNames.isolated("", "-rcf-" + UUID.randomUUID().toString().substring(0, 8)));
    private final String topic = connection.topics().rewardConfig();
    private final AvroSerializer<RewardConfig> values = new AvroSerializer<>(stack.cache(), true, false);

    private static RewardConfig config(String run, long version, double weight) {
        return RewardConfig.newBuilder().setRun(run).setVersion(version)
                .setScorers(List.of(new RewardTerm("grid-center", weight))).setFloor(-20).setBeta(1.0)
                .setSetBy("test").setSetAt(Instant.ofEpochMilli(1_000 * version)).setReason(null).build();
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    @Test
    void followsEveryVersionAndDeadLettersWhatMustNotApply() throws Exception {
        connection.createMissingTopics();
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            send(producer, "r", values.serialize(topic, config("r", 1, 1.0)));
            send(producer, "r", new byte[] {0, 0, 0, 0, 1, 2, 3});                                 // not a record
            send(producer, "r", values.serialize(topic, config("r", 2, -1.0)));                  // negative weight
            send(producer, "r", values.serialize(topic, config("r", 1, 3.0)));                   // v1 again, other content
            send(producer, "r", values.serialize(topic, config("other", 2, 1.0)));               // keyed by another run
            send(producer, "r", values.serialize(topic, config("r", 5_000_000, 1.0)));           // implausible jump
            send(producer, "r", values.serialize(topic, config("r", 1, 1.0)));                   // v1 again, same: ignored
            send(producer, "r", values.serialize(topic, config("r", 2, 0.5)));
            send(producer, "s", values.serialize(topic, config("s", 1, 2.0)));
        }
        try (KafkaProducer<byte[], byte[]> dlqProducer = stack.producer();
                RewardConfigFollower one = RewardConfigFollower.start("test", connection, "r",
                        new DeadLetterPublisher(dlqProducer, new AvroSerializer<>(stack.cache(), true, false), connection.topics().dlq()));
                RewardConfigFollower all = RewardConfigFollower.start("test-all", connection, null, null)) {
            assertTrue(one.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(all.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(2, one.latestVersion("r"));
            assertEquals(List.of(1L, 2L), one.history("r").stream().map(RewardConfig::getVersion).toList());
            assertEquals(1.0, one.version("r", 1).orElseThrow().getScorers().get(0).getWeight(), "the first v1 stays");
            assertEquals(0.5, one.latest("r").orElseThrow().getScorers().get(0).getWeight());
            assertEquals(0, one.latestVersion("s"), "a run's follower keeps only its run");
            assertEquals(1, all.latestVersion("s"));
            assertEquals(5, one.rejected());
            assertTrue(one.everRequired("grid-center"));

            List<DeadLetter> letters = stack.readUntil(connection.topics().dlq(), r -> true, 5).stream()
                    .map(r -> new AvroDeserializer<>(stack.cache(), DeadLetter.class).deserialize(r.topic(), r.value())).toList();
            assertEquals(List.of(RewardConfigFollower.STAGE), letters.stream().map(DeadLetter::getStage).distinct().toList());
            List<String> reasons = letters.stream().map(DeadLetter::getReason).toList();
            assertTrue(reasons.get(0).startsWith("undecodable reward configuration"), reasons.get(0));
            assertTrue(reasons.get(1).contains("weight of scorer grid-center must be finite and positive"), reasons.get(1));
            assertTrue(reasons.get(2).contains("was published before with other content"), reasons.get(2));
            assertTrue(reasons.get(3).contains("keyed by run r names run other"), reasons.get(3));
            assertTrue(reasons.get(4).contains("more than 1000000 beyond the newest known"), reasons.get(4));

            // a new version while it runs
            try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
                send(producer, "r", values.serialize(topic, config("r", 3, 2.0)));
            }
            Wait.atMost(Duration.ofSeconds(30)).until(() -> one.latestVersion("r") == 3);
        }
    }

    @Test
    void aMissingTopicMeansNeverSteered() throws Exception {
        ClusterConnection bare = stack.connection(TopicNames.isolated("", "-rcf-none-" + UUID.randomUUID().toString().substring(0, 8)));
        try (RewardConfigFollower follower = RewardConfigFollower.start("test", bare, "r", null)) {
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(0, follower.latestVersion("r"));
        }
    }
}

package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
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
 * A value in the joiner's pending-store changelog that the joiner cannot read (a disk or broker fault, a
 * hand-edited topic) is restored into the store and met when its candidate comes; before the fix the read threw,
 * the stream thread died, was replaced, met it again, and the candidate was never settled. Now the corrupt value
 * goes to {@code ddpp.dlq} with its reason, a metric counts it, and the candidate is joined afresh.
 */
class CorruptJoinerStateTest {

    private final TestStack stack = TestStack.get();
    private final CachedSchemaRegistry registry = stack.cache();
    private final TopicNames topics = TopicNames.isolated("", "-corrupt-" + UUID.randomUUID().toString().substring(0, 8));
    private final ClusterConnection connection = stack.connection(topics);

    @Test
    void aCorruptStateValueIsDeadLetteredAndTheJoinerKeepsJoining() throws Exception {
        connection.createMissingTopics();
        JoinerConfig config = JoinerConfig.builder().setConnection(connection).opt(JoinerSettings.APPLICATION_ID, "ddpp-joiner")
                .optComposition(RewardComposition.parse("a=1", -20)).opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(30))
                .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofMillis(500)).opt(JoinerSettings.METRICS_INTERVAL, Duration.ofSeconds(1))
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("ddpp-joiner-corrupt")).build();
        String changelog = config.applicationId() + "-" + RewardJoiner.PENDING_STORE + "-changelog";
        try (Admin admin = connection.admin("corrupt-test")) {
            admin.createTopics(List.of(new NewTopic(changelog, 4, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            // same key bytes and partition count as the candidates topic: the record lands in c1's task
            producer.send(new ProducerRecord<>(changelog, JoinerRecords.key("c1"), new byte[] {1, 2, 3})).get();
        }

        try (RewardJoiner joiner = RewardJoiner.start(config); KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            assertTrue(joiner.awaitRunning(Duration.ofSeconds(60)), "joiner did not start");
            AvroSerializer<Candidate> candidates = new AvroSerializer<>(registry, true, false);
            AvroSerializer<Score> scores = new AvroSerializer<>(registry, true, false);
            for (String id : List.of("c1", "c2")) {
                producer.send(new ProducerRecord<>(topics.candidates(), JoinerRecords.key(id), candidates.serialize(topics.candidates(), JoinerRecords.candidate(id))));
                producer.send(new ProducerRecord<>(topics.scores(), JoinerRecords.key(id), scores.serialize(topics.scores(), JoinerRecords.score(id))));
            }
            producer.flush();

            AvroDeserializer<ScoredCandidate> rewardReader = new AvroDeserializer<>(registry, ScoredCandidate.class);
            List<String> joined = stack.readUntil(topics.rewards(), r -> true, 2).stream()
                    .map(r -> rewardReader.deserialize(r.topic(), r.value()).getCandidate().getId()).sorted().toList();
            assertEquals(List.of("c1", "c2"), joined);
            AvroDeserializer<DeadLetter> letterReader = new AvroDeserializer<>(registry, DeadLetter.class);
            List<ConsumerRecord<byte[], byte[]>> letters = stack.readUntil(topics.dlq(), r -> true, 1);
            DeadLetter letter = letterReader.deserialize(topics.dlq(), letters.get(0).value());
            assertEquals("joiner:state", letter.getStage());
            assertEquals(changelog, letter.getSourceTopic());
            assertEquals("c1", StandardCharsets.UTF_8.decode(letter.getKey()).toString());
            assertEquals(3, letter.getValue().remaining(), "the unreadable bytes, for inspection");
            assertTrue(letter.getReason().contains("unreadable joiner state for candidate c1"), letter.getReason());
            assertEquals(1, joiner.metrics().corruptState());
            assertEquals(KafkaStreams.State.RUNNING, joiner.state());
            Wait.atMost(Duration.ofSeconds(10), Duration.ZERO).until(() -> joiner.metrics().joined() == 2);
        }
    }
}

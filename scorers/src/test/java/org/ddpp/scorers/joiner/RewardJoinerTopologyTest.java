package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.runtime.TopicNames;
import org.ddpp.scorers.reward.RewardComposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The joiner's topology (the same {@link RewardJoiner#topology} the service runs) in a TopologyTestDriver:
 * weighted join, floor, wall-clock timeouts, FAILED/INVALID, duplicates, ignored scorers and bad records.
 */
class RewardJoinerTopologyTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    private final CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
    private final AvroSerializer<Candidate> candidateSerializer = new AvroSerializer<>(registry, true, false);
    private final AvroSerializer<Score> scoreSerializer = new AvroSerializer<>(registry, true, false);
    private final AvroDeserializer<ScoredCandidate> rewardReader = new AvroDeserializer<>(registry, ScoredCandidate.class);
    private final AvroDeserializer<DeadLetter> letterReader = new AvroDeserializer<>(registry, DeadLetter.class);
    private final JoinerMeters metrics = new JoinerMeters(org.ddpp.runtime.RoleMeters.standalone("joiner", "test"));
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> candidates;
    private TestInputTopic<byte[], byte[]> scores;
    private TestOutputTopic<byte[], byte[]> rewards;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() throws Exception {
        JoinerConfig config = JoinerConfig.builder().setConnection(org.ddpp.runtime.ClusterConnection.local("unused:9092", "http://unused"))
                .opt(JoinerSettings.APPLICATION_ID, "joiner-test").optComposition(RewardComposition.parse("a=1,b=0.5", -20))
                .opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(10))
                .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofSeconds(1)).opt(JoinerSettings.IN_MEMORY_STATE, true)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("joiner-test")).build();
        Properties props = RewardJoiner.streamsProperties(config);
        driver = new TopologyTestDriver(RewardJoiner.topology(config, registry, metrics), props, START);
        candidates = driver.createInputTopic(TOPICS.candidates(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createInputTopic(TOPICS.scores(), new ByteArraySerializer(), new ByteArraySerializer());
        rewards = driver.createOutputTopic(TOPICS.rewards(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void joinsEveryRequiredScoreWithItsWeightInEitherOrder() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        assertTrue(rewards.isEmpty(), "must wait for scorer b");
        sendScore("c1", "b", ScoreStatus.OK, -2.0);
        sendScore("c2", "b", ScoreStatus.OK, -4.0);
        sendScore("c2", "a", ScoreStatus.OK, 0.0);
        sendCandidate("c2");

        List<ScoredCandidate> out = readRewards();
        assertEquals(List.of("c1", "c2"), out.stream().map(s -> s.getCandidate().getId()).toList());
        assertEquals(-2.0, out.get(0).getLogReward());
        assertEquals(List.of(new RewardComponent("a", "1", 1.0, -1.0), new RewardComponent("b", "1", 0.5, -2.0)),
                out.get(0).getComponents());
        assertEquals(-2.0, out.get(1).getLogReward());
        assertEquals(List.of(64, 7), out.get(1).getCandidate().getTokens());
        assertTrue(dlq.isEmpty());
        assertEquals(2, metrics.joined());
    }

    @Test
    void aZeroRewardIsRaisedToTheFloorAndCounted() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, Double.NEGATIVE_INFINITY);
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        assertEquals(-20.0, readRewards().get(0).getLogReward());
        assertEquals(1, (long) metrics.clamped.count());
    }

    @Test
    void aCandidateMissingAScoreIsDeadLetteredAfterTheWallClockTimeoutEvenWhenTheStreamIsQuiet() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertTrue(dlq.isEmpty(), "not yet timed out");
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        List<DeadLetter> letters = readLetters();
        assertEquals(1, letters.size());
        assertEquals("joiner:timeout", letters.get(0).getStage());
        assertEquals(TOPICS.candidates(), letters.get(0).getSourceTopic());
        assertTrue(letters.get(0).getReason().contains("no score from b within 10 s"), letters.get(0).getReason());
        assertEquals("c1", new String(letters.get(0).getKey().array(), StandardCharsets.UTF_8));
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        assertTrue(rewards.isEmpty(), "a late score must not revive a dead-lettered candidate");
    }

    @Test
    void failedAndInvalidScoresSendTheCandidateToTheDeadLetterTopicAtOnce() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.FAILED, null);
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        sendScore("c2", "b", ScoreStatus.INVALID, null);
        sendCandidate("c2");
        List<DeadLetter> letters = readLetters();
        assertEquals(List.of("joiner:failed", "joiner:invalid"), letters.stream().map(DeadLetter::getStage).toList());
        assertTrue(letters.get(0).getReason().contains("scorer a returned FAILED: why a"), letters.get(0).getReason());
        assertTrue(letters.get(1).getReason().contains("scorer b returned INVALID: why b"), letters.get(1).getReason());
        assertTrue(rewards.isEmpty());
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertTrue(dlq.isEmpty(), "a settled candidate does not time out again");
    }

    @Test
    void duplicatesNeverProduceASecondScoredCandidate() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        sendScore("c1", "a", ScoreStatus.OK, -3.0);
        sendScore("c1", "b", ScoreStatus.OK, 0.0);
        sendScore("c1", "b", ScoreStatus.OK, 0.0);
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        List<ScoredCandidate> out = readRewards();
        assertEquals(1, out.size());
        assertEquals(-1.0, out.get(0).getLogReward(), "the first score of a scorer counts");
        assertEquals(1, (long) metrics.duplicateScores.count(), "a second score of a scorer while the candidate waits");
        assertEquals(2, (long) metrics.lateScores.count(), "scores after the candidate settled");
        sendCandidate("c1");
        assertEquals(List.of("joiner:duplicate-candidate"), readLetters().stream().map(DeadLetter::getStage).toList());
        assertTrue(rewards.isEmpty());

        KeyValueStore<String, byte[]> pending = driver.getKeyValueStore(RewardJoiner.PENDING_STORE);
        assertEquals(null, pending.get("c1"), "a settled candidate leaves the pending store for the settled index");
        driver.advanceWallClockTime(Duration.ofHours(1));
        assertTrue(dlq.isEmpty());
    }

    @Test
    void scoresOfScorersThatAreNotRequiredAreIgnored() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        sendScore("c1", "other", ScoreStatus.OK, 0.0);
        sendScore("c1", "other", ScoreStatus.FAILED, null);
        assertTrue(rewards.isEmpty());
        assertTrue(dlq.isEmpty(), "a FAILED score of a scorer nobody requires does not matter");
        assertEquals(2, (long) metrics.ignoredScores.count());
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        assertEquals(1, readRewards().size());
    }

    @Test
    void badRecordsAndOrphanScoresAreDeadLetteredAndTheJoinGoesOn() {
        candidates.pipeInput("bad".getBytes(StandardCharsets.UTF_8), new byte[] {0x7f, 1, 2});
        scores.pipeInput("bad".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99});
        sendScore("ghost", "a", ScoreStatus.OK, -1.0);
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        assertEquals(1, readRewards().size());
        List<DeadLetter> letters = readLetters();
        assertEquals(List.of("joiner:decode", "joiner:decode"), letters.stream().map(DeadLetter::getStage).toList());
        assertTrue(letters.get(0).getReason().contains("undecodable candidate value"), letters.get(0).getReason());
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        List<DeadLetter> orphans = readLetters();
        assertEquals(1, orphans.size());
        assertEquals("joiner:orphan-score", orphans.get(0).getStage());
        assertEquals(TOPICS.scores(), orphans.get(0).getSourceTopic());
        assertEquals(3.0, (double) metrics.deadLetters());
    }

    @Test
    void anUnreadableStateValueIsDeadLetteredAndDroppedInsteadOfFailingTheTask() {
        KeyValueStore<String, byte[]> pending = driver.getKeyValueStore(RewardJoiner.PENDING_STORE);
        pending.put("c1", new byte[] {1, 0, 0});
        sendScore("c1", "a", ScoreStatus.OK, -1.0);
        List<DeadLetter> letters = readLetters();
        assertEquals(List.of("joiner:state"), letters.stream().map(DeadLetter::getStage).toList());
        assertTrue(letters.get(0).getReason().contains("unreadable joiner state for candidate c1"), letters.get(0).getReason());
        sendCandidate("c1");
        sendScore("c1", "b", ScoreStatus.OK, -1.0);
        assertEquals(List.of("c1"), readRewards().stream().map(r -> r.getCandidate().getId()).toList());
        assertEquals(1, metrics.corruptState());
    }

    @Test
    void okWithoutALogRewardIsTreatedAsFailed() {
        sendCandidate("c1");
        sendScore("c1", "a", ScoreStatus.OK, null);
        List<DeadLetter> letters = readLetters();
        assertEquals("joiner:failed", letters.get(0).getStage());
        assertTrue(letters.get(0).getReason().contains("without a usable log reward"), letters.get(0).getReason());
    }

    private void sendCandidate(String id) {
        Candidate candidate = Candidate.newBuilder().setId(id).setRun("r").setTask("grid").setTokens(List.of(64, 7))
                .setText("(64, 7)").setPolicyVersion(3).setSource(CandidateSource.POLICY).setSamplerId("s")
                .setSeed(1).setCreatedAt(START).build();
        candidates.pipeInput(id.getBytes(StandardCharsets.UTF_8), candidateSerializer.serialize(TOPICS.candidates(), candidate));
    }

    private void sendScore(String id, String scorer, ScoreStatus status, Double logReward) {
        Score score = Score.newBuilder().setCandidateId(id).setRun("r").setScorer(scorer).setScorerVersion("1")
                .setStatus(status).setLogReward(logReward)
                .setDetails(status == ScoreStatus.OK ? Map.of() : Map.of("reason", "why " + scorer))
                .setScoredAt(START).build();
        scores.pipeInput(id.getBytes(StandardCharsets.UTF_8), scoreSerializer.serialize(TOPICS.scores(), score));
    }

    private List<ScoredCandidate> readRewards() {
        return rewards.readValuesToList().stream().map(v -> rewardReader.deserialize(TOPICS.rewards(), v)).toList();
    }

    private List<DeadLetter> readLetters() {
        return dlq.readValuesToList().stream().map(v -> letterReader.deserialize(TOPICS.dlq(), v)).toList();
    }
}

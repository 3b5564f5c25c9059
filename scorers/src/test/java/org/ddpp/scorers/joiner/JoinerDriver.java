package org.ddpp.scorers.joiner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * The joiner's topology ({@link RewardJoiner#topology}) in a TopologyTestDriver with typed helpers to send
 * candidates and scores and read what came out; for the joiner's tests.
 */
final class JoinerDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final TopicNames TOPICS = TopicNames.DEFAULT;

    final CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
    final JoinerMeters metrics = new JoinerMeters(org.ddpp.runtime.RoleMeters.standalone("joiner", "test"));
    final TopologyTestDriver driver;
    private final AvroSerializer<Candidate> candidateWriter = new AvroSerializer<>(registry, true, false);
    private final AvroSerializer<Score> scoreWriter = new AvroSerializer<>(registry, true, false);
    private final AvroDeserializer<ScoredCandidate> rewardReader = new AvroDeserializer<>(registry, ScoredCandidate.class);
    private final AvroDeserializer<DeadLetter> letterReader = new AvroDeserializer<>(registry, DeadLetter.class);
    private final TestInputTopic<byte[], byte[]> candidates;
    private final TestInputTopic<byte[], byte[]> scores;
    private final TestOutputTopic<byte[], byte[]> rewards;
    private final TestOutputTopic<byte[], byte[]> dlq;

    JoinerDriver(JoinerConfig config) {
        this(config, RewardVersions.NONE);
    }

    /** A joiner that looks steered runs' configurations up in {@code versions}. */
    JoinerDriver(JoinerConfig config, RewardVersions versions) {
        driver = new TopologyTestDriver(RewardJoiner.topology(config, registry, metrics, versions),
                RewardJoiner.streamsProperties(config), START);
        candidates = driver.createInputTopic(TOPICS.candidates(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createInputTopic(TOPICS.scores(), new ByteArraySerializer(), new ByteArraySerializer());
        rewards = driver.createOutputTopic(TOPICS.rewards(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A candidate of sampler {@code sampler} created {@code createdAfter} after {@link #START}. */
    void sendCandidate(String id, String sampler, Duration createdAfter) {
        sendCandidate(id, sampler, createdAfter, 0L);
    }

    /** A candidate of run {@code r} created under its reward-configuration version {@code configVersion}. */
    void sendCandidate(String id, String sampler, Duration createdAfter, long configVersion) {
        Candidate candidate = Candidate.newBuilder().setId(id).setRun("r").setTask("grid").setTokens(List.of(64, 7))
                .setText("(64, 7)").setPolicyVersion(3).setSource(CandidateSource.POLICY).setSamplerId(sampler)
                .setSeed(1).setCreatedAt(START.plus(createdAfter)).setRewardConfigVersion(configVersion).build();
        candidates.pipeInput(id.getBytes(StandardCharsets.UTF_8), candidateWriter.serialize(TOPICS.candidates(), candidate));
    }

    void sendScore(String id, String scorer, ScoreStatus status, Double logReward) {
        Score score = Score.newBuilder().setCandidateId(id).setRun("r").setScorer(scorer).setScorerVersion("1")
                .setStatus(status).setLogReward(logReward)
                .setDetails(status == ScoreStatus.OK ? Map.of() : Map.of("reason", "why " + scorer))
                .setScoredAt(START).build();
        scores.pipeInput(id.getBytes(StandardCharsets.UTF_8), scoreWriter.serialize(TOPICS.scores(), score));
    }

    void advance(Duration wallClock) {
        driver.advanceWallClockTime(wallClock);
    }

    List<ScoredCandidate> readRewards() {
        return rewards.readValuesToList().stream().map(v -> rewardReader.deserialize(TOPICS.rewards(), v)).toList();
    }

    List<DeadLetter> readLetters() {
        return dlq.readValuesToList().stream().map(v -> letterReader.deserialize(TOPICS.dlq(), v)).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}

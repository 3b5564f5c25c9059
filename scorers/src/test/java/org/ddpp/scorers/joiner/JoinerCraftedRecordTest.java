package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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
import org.ddpp.schemas.serde.WireFormat;
import org.ddpp.scorers.reward.RewardComposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issue's 26-byte candidate record in the joiner's topology: it is dead-lettered with the decoder's reason
 * and the candidates around it are still joined (before the bounds, the stream thread died with
 * OutOfMemoryError and met the record again after every restart).
 */
class JoinerCraftedRecordTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
    private final CachedSchemaRegistry registry = new CachedSchemaRegistry(schemas);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> candidates;
    private TestInputTopic<byte[], byte[]> scores;
    private TestOutputTopic<byte[], byte[]> rewards;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() throws Exception {
        JoinerConfig config = JoinerConfig.builder()
                .setConnection(org.ddpp.runtime.ClusterConnection.local("unused:9092", "http://unused"))
                .opt(JoinerSettings.APPLICATION_ID, "joiner-crafted-test").optComposition(RewardComposition.parse("a=1", -20))
                .opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(10))
                .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofSeconds(1)).opt(JoinerSettings.IN_MEMORY_STATE, true)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("joiner-crafted-test")).build();
        Properties props = RewardJoiner.streamsProperties(config);
        driver = new TopologyTestDriver(RewardJoiner.topology(config, registry, new JoinerMeters(org.ddpp.runtime.RoleMeters.standalone("joiner", "test"))), props, START);
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
    void theCraftedCandidateIsDeadLetteredWithItsReasonAndTheOthersAreJoined() throws IOException {
        sendCandidate("c1");
        byte[] crafted = issueRecord(schemas.latest(TOPICS.candidates() + "-value").id());
        candidates.pipeInput("c-12".getBytes(StandardCharsets.UTF_8), crafted);
        sendCandidate("c2");
        sendScore("c1");
        sendScore("c2");

        List<String> joined = rewards.readValuesToList().stream()
                .map(v -> new AvroDeserializer<>(registry, ScoredCandidate.class).deserialize(TOPICS.rewards(), v))
                .map(s -> s.getCandidate().getId()).toList();
        assertEquals(List.of("c1", "c2"), joined);
        List<DeadLetter> letters = dlq.readValuesToList().stream()
                .map(v -> new AvroDeserializer<>(registry, DeadLetter.class).deserialize(TOPICS.dlq(), v)).toList();
        assertEquals(1, letters.size());
        assertEquals("joiner:decode", letters.get(0).getStage());
        assertTrue(letters.get(0).getReason().contains("array block of 2147483639 items exceeds the 0 bytes left"),
                letters.get(0).getReason());
        assertEquals(26, letters.get(0).getValue().remaining());
    }

    /** Confluent header, a Candidate's id, run and task, then a token-array length of 2 147 483 639. */
    private static byte[] issueRecord(int schemaId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(WireFormat.header(schemaId));
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        out.writeString("c-12");
        out.writeString("run-1");
        out.writeString("grid");
        out.writeLong(2_147_483_639L);
        out.flush();
        assertEquals(26, bytes.size());
        return bytes.toByteArray();
    }

    private void sendCandidate(String id) {
        Candidate candidate = Candidate.newBuilder().setId(id).setRun("r").setTask("grid").setTokens(List.of(64, 7))
                .setText("(64, 7)").setPolicyVersion(3).setSource(CandidateSource.POLICY).setSamplerId("s")
                .setSeed(1).setCreatedAt(START).build();
        candidates.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                new AvroSerializer<Candidate>(registry, true, false).serialize(TOPICS.candidates(), candidate));
    }

    private void sendScore(String id) {
        Score score = Score.newBuilder().setCandidateId(id).setRun("r").setScorer("a").setScorerVersion("1")
                .setStatus(ScoreStatus.OK).setLogReward(-1.0).setDetails(Map.of()).setScoredAt(START).build();
        scores.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                new AvroSerializer<Score>(registry, true, false).serialize(TOPICS.scores(), score));
    }
}

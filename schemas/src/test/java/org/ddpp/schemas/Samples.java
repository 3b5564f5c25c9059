package org.ddpp.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.DeadLetterHeader;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;

/** Sample records shared by the tests. */
public final class Samples {
    private Samples() {}

    public static Candidate candidate(String id) {
        return Candidate.newBuilder().setId(id).setRun("run-1").setTask("grid").setTokens(List.of(1, 2, 3, 4))
                .setText("ab\ncd").setPolicyVersion(7).setSource(CandidateSource.PRETRAINED).setSamplerId("sampler-0")
                .setSeed(42L).setCreatedAt(Instant.ofEpochMilli(1_700_000_000_123L)).build();
    }

    public static Score score(String candidateId) {
        return Score.newBuilder().setCandidateId(candidateId).setRun("run-1").setScorer("length").setScorerVersion("1")
                .setStatus(ScoreStatus.OK).setLogReward(-1.25).setDetails(Map.of("note", "ok")).setLatencyMicros(12)
                .setScoredAt(Instant.ofEpochMilli(1_700_000_000_456L)).build();
    }

    public static ScoredCandidate scoredCandidate(String id) {
        return ScoredCandidate.newBuilder().setCandidate(candidate(id)).setLogReward(-0.5)
                .setComponents(List.of(new RewardComponent("length", "1", 1.0, -0.5)))
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_789L)).build();
    }

    public static PolicyUpdate policyUpdate(long version) {
        return PolicyUpdate.newBuilder().setRun("run-1").setVersion(version).setStep(100 * version)
                .setUri("file:///tmp/policy-" + version + ".bin").setSha256("ab".repeat(32)).setSizeBytes(4096)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_001_000L)).setDetails(Map.of("loss", "0.25")).build();
    }

    public static Metrics metrics() {
        return Metrics.newBuilder().setRole("scorer").setInstance("scorer-0").setRun("run-1")
                .setAt(Instant.ofEpochMilli(1_700_000_002_000L)).setValues(new TreeMap<>(Map.of("dlq_total", 2.0, "loss", 0.125)))
                .setLabels(Map.of("scorer", "length")).build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setKey(ByteBuffer.wrap("c-1".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}))
                .setHeaders(List.of(new DeadLetterHeader("trace", ByteBuffer.wrap(new byte[] {7})),
                        new DeadLetterHeader("empty", null)))
                .setSourceTopic("ddpp.candidates").setSourcePartition(0).setSourceOffset(17).setStage("scorer:length")
                .setReason("undecodable value: test").setExceptionClass("org.apache.kafka.common.errors.SerializationException")
                .setFailedAt(Instant.ofEpochMilli(1_700_000_003_000L)).build();
    }
}

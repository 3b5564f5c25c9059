package org.ddpp.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;

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
}

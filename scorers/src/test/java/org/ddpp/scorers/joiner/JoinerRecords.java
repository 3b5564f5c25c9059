package org.ddpp.scorers.joiner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;

/** The minimal records the joiner's broker tests feed it: a grid candidate and an OK score of scorer {@code a}. */
final class JoinerRecords {

    private JoinerRecords() {}

    /** A record key as the samplers and scorers write it. */
    static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid grid candidate of run {@code r}. */
    static Candidate candidate(String id) {
        return Candidate.newBuilder().setId(id).setRun("r").setTask("grid").setTokens(List.of(64, 7)).setText("(64, 7)")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1)
                .setCreatedAt(Instant.now()).build();
    }

    /** Scorer {@code a}'s OK score, log R = −1, for candidate {@code id}. */
    static Score score(String id) {
        return Score.newBuilder().setCandidateId(id).setRun("r").setScorer("a").setScorerVersion("1")
                .setStatus(ScoreStatus.OK).setLogReward(-1.0).setDetails(Map.of()).setScoredAt(Instant.now()).build();
    }
}

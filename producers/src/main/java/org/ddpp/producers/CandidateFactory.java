package org.ddpp.producers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ddpp.diffusion.task.Task;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;

/**
 * Turns sampled token sequences into {@link Candidate} records with everything a scorer and the trainer need:
 * a fresh UUID, the run, the task and its rendering, the policy version, the source, the sampler id, the seed
 * of the sampling call and the run's reward-configuration version the joiner is to join it under. Pure; no I/O.
 */
public final class CandidateFactory {

    private final Task task;
    private final String run;
    private final String samplerId;
    private final CandidateSource source;

    public CandidateFactory(Task task, String run, String samplerId, CandidateSource source) {
        this.task = task;
        this.run = run;
        this.samplerId = samplerId;
        this.source = source;
    }

    /** One candidate per row of {@code tokens}, drawn from {@code policyVersion} with batch seed {@code seed}. */
    public List<Candidate> batch(int[][] tokens, long policyVersion, long seed, Instant createdAt) {
        return batch(tokens, policyVersion, seed, createdAt, 0L);
    }

    /**
     * One candidate per row, to be joined under reward-configuration version {@code rewardConfigVersion} of the run
     * (0: never steered).
     */
    public List<Candidate> batch(int[][] tokens, long policyVersion, long seed, Instant createdAt, long rewardConfigVersion) {
        List<Candidate> out = new ArrayList<>(tokens.length);
        for (int[] row : tokens) {
            List<Integer> ids = new ArrayList<>(row.length);
            for (int t : row) {
                ids.add(t);
            }
            out.add(Candidate.newBuilder()
                    .setId(UUID.randomUUID().toString())
                    .setRun(run)
                    .setTask(task.name())
                    .setTokens(ids)
                    .setText(task.render(row))
                    .setPolicyVersion(policyVersion)
                    .setSource(source)
                    .setSamplerId(samplerId)
                    .setSeed(seed)
                    .setCreatedAt(createdAt)
                    .setRewardConfigVersion(rewardConfigVersion)
                    .build());
        }
        return out;
    }
}

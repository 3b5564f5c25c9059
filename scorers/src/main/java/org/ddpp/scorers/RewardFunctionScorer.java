package org.ddpp.scorers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.schemas.avro.Candidate;

/**
 * A scorer backed by an in-process {@link RewardFunction} over token sequences: validates each candidate against
 * its task (INVALID with the reason when it fails), then evaluates the valid ones in one call. The same function
 * is its {@link #exactReward()}, so exact evaluations and the service agree by construction.
 */
public abstract class RewardFunctionScorer implements Scorer {

    private final String name;
    private final String version;
    private final Set<String> tasks;
    private final RewardFunction reward;

    protected RewardFunctionScorer(String name, String version, Set<String> tasks, RewardFunction reward) {
        this.name = name;
        this.version = version;
        this.tasks = Set.copyOf(tasks);
        this.reward = reward;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final Set<String> tasks() {
        return tasks;
    }

    @Override
    public final Optional<RewardFunction> exactReward() {
        return Optional.of(reward);
    }

    @Override
    public List<ScoreResult> score(List<Candidate> batch) {
        ScoreResult[] out = new ScoreResult[batch.size()];
        List<int[]> valid = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Candidate candidate = batch.get(i);
            String invalid = accepts(candidate.getTask()) ? CandidateCheck.invalidReason(candidate)
                    : "task '" + candidate.getTask() + "' is not accepted by scorer " + name;
            if (invalid != null) {
                out[i] = ScoreResult.invalid(invalid);
            } else {
                valid.add(CandidateCheck.tokens(candidate));
                where.add(i);
            }
        }
        if (!valid.isEmpty()) {
            double[] logR = reward.logReward(valid.toArray(new int[0][]));
            for (int j = 0; j < logR.length; j++) {
                out[where.get(j)] = ScoreResult.ok(logR[j]);
            }
        }
        return List.of(out);
    }
}

package org.ddpp.scorers;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.schemas.avro.Candidate;

/**
 * The scorer SPI: one independent judge of candidates, turned into a Kafka service by
 * {@link org.ddpp.scorers.service.ScorerService}. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/org.ddpp.scorers.Scorer}) and need a public no-argument constructor.
 * When the service runs with parallelism above one, {@link #score} is called from several threads at once, so
 * implementations must then be thread-safe.
 */
public interface Scorer {

    /** Stable name used on the command line, in {@code Score.scorer} and in the joiner's reward configuration. */
    String name();

    /** Version written into every score, so a changed scorer can be told apart in the data. */
    String version();

    /** Names of the tasks ({@code Candidate.task}) this scorer can judge; other candidates are skipped. */
    Set<String> tasks();

    /** True when candidates of {@code task} are this scorer's business. */
    default boolean accepts(String task) {
        return tasks().contains(task);
    }

    /**
     * Scores a batch: one result per candidate, in the same order. Candidates handed over by the service are
     * already valid token sequences of their task. Throwing (or running past the service's call timeout) makes
     * the service retry the whole batch and, when retries run out, mark every candidate of it FAILED.
     */
    List<ScoreResult> score(List<Candidate> batch) throws Exception;

    /**
     * The same log reward as an in-process function of token sequences, when the scorer has one, so that exact
     * evaluations (e.g. the grid's TV to the target) use the very code the service runs.
     */
    default Optional<RewardFunction> exactReward() {
        return Optional.empty();
    }
}

package org.ddpp.scorers.reward;

import java.util.ArrayList;
import java.util.List;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;

/**
 * The joiner's reward as an in-process {@link RewardFunction} over token sequences, for exact evaluation (the
 * grid demo's TV to the target): each required scorer's {@link Scorer#exactReward()} combined with
 * {@link RewardComposition#combine}, the very method the joiner applies to the scores it receives.
 */
public final class ExactRewards {

    private ExactRewards() {}

    /**
     * The combined reward of {@code composition}, using the scorers found by {@link Scorers#byName}; an
     * {@link IllegalArgumentException} when a scorer is unknown or has no in-process form.
     */
    public static RewardFunction of(RewardComposition composition) {
        return of(composition, java.util.Map.of());
    }

    /**
     * The same, with in-process forms of scorers that run outside the JVM (e.g. the Python {@code garnier-sheet}
     * service) given by name in {@code external}; they take precedence over scorers found by name.
     */
    public static RewardFunction of(RewardComposition composition, java.util.Map<String, RewardFunction> external) {
        List<RewardFunction> parts = new ArrayList<>();
        for (String name : composition.names()) {
            RewardFunction given = external.get(name);
            if (given != null) {
                parts.add(given);
                continue;
            }
            Scorer scorer = Scorers.byName(name);
            parts.add(scorer.exactReward().orElseThrow(() -> new IllegalArgumentException(
                    "scorer " + name + " has no in-process reward, so the exact target cannot be computed")));
        }
        return new RewardFunction() {
            @Override
            public String name() {
                return "combined(" + composition.spec() + ", floor " + composition.floor() + ")";
            }

            @Override
            public double[] logReward(int[][] sequences) {
                double[][] byScorer = new double[parts.size()][];
                for (int k = 0; k < parts.size(); k++) {
                    byScorer[k] = parts.get(k).logReward(sequences);
                }
                double[] out = new double[sequences.length];
                double[] row = new double[parts.size()];
                for (int i = 0; i < sequences.length; i++) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = byScorer[k][i];
                    }
                    out[i] = composition.combine(row).logReward();
                }
                return out;
            }
        };
    }
}

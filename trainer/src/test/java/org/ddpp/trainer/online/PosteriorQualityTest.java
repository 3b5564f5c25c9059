package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.diffusion.task.GridTask;
import org.junit.jupiter.api.Test;

/** The posterior-quality estimators on cases with a known answer. */
class PosteriorQualityTest {

    private static ScoredSequence scored(int[] x, double logReward, boolean floored) {
        return new ScoredSequence(x, logReward, ScoredSequence.POLICY, 0, Map.of(), 0, floored);
    }

    @Test
    void logMeanRewardAndRewardZeroShareOfKnownRewards() {
        List<ScoredSequence> s = List.of(scored(new int[] {0, 0}, 0.0, false), scored(new int[] {0, 0}, -20.0, true),
                scored(new int[] {0, 0}, Math.log(0.5), false), scored(new int[] {0, 0}, Math.log(0.5), false));
        assertEquals(Math.log((1 + Math.exp(-20) + 0.5 + 0.5) / 4), PosteriorQuality.logMeanReward(s), 1e-12);
        assertEquals(0.25, PosteriorQuality.rewardZeroShare(s), 1e-12);
        assertEquals(Double.NaN, PosteriorQuality.logMeanReward(List.of()));
    }

    @Test
    void effectiveSampleSizeOfEqualAndOfDegenerateWeights() {
        assertEquals(5.0, PosteriorQuality.effectiveSampleSize(new double[] {-3, -3, -3, -3, -3}), 1e-9);
        assertEquals(1.0, PosteriorQuality.effectiveSampleSize(new double[] {0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}), 1e-12);
        // weights 1 and 2: (3)² / 5
        assertEquals(9.0 / 5.0, PosteriorQuality.effectiveSampleSize(new double[] {Math.log(1), Math.log(2)}), 1e-12);
    }

    @Test
    void aPolicyEqualToTheReferenceHasNoDivergenceAndFullSampleSize() {
        GridTask task = new GridTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm pre = Mdm.create(task, NetworkShape.of(16, 1, 2), 5, root);
            Mdm q = pre.copy(root);
            SplittableRandom rng = new SplittableRandom(1);
            List<ScoredSequence> policy = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                policy.add(scored(new int[] {rng.nextInt(task.vocabSize()), rng.nextInt(task.vocabSize())}, 0.0, false));
            }
            PosteriorQuality.Figures f = PosteriorQuality.measure(q, pre, List.of(), policy, rng);
            assertEquals(0.0, f.klToPre(), 1e-9, "q = p_pre");
            assertEquals(24.0, f.ess(), 1e-6, "constant R and q = p_pre: every weight equal");
            assertEquals(1.0, f.essFraction(), 1e-6);
            assertEquals(0.0, f.rewardZeroSharePolicy());
            assertEquals(Double.NaN, f.logMeanRewardPinned());
        }
    }
}

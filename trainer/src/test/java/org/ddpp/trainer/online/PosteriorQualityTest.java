package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void onTheGridTheFiguresMatchTheExactTables() {
        GridTask task = new GridTask();
        int v = task.vocabSize();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm pre = Mdm.create(task, NetworkShape.of(16, 1, 2), 4, root);
            Mdm q = Mdm.create(task, NetworkShape.of(16, 1, 2), 3, root);
            double[] tq = org.ddpp.diffusion.eval.ExactTwoTokenDistribution.of(q);
            double[] tp = org.ddpp.diffusion.eval.ExactTwoTokenDistribution.of(pre);
            // the half plane with the floor: log R = 0 for x¹ >= 64, else -20
            double kl = 0;
            double meanW = 0;
            double meanW2 = 0;
            double eR = 0;
            for (int c = 0; c < tq.length; c++) {
                double r = c / v >= 64 ? 1.0 : Math.exp(-20);
                double w = r * tp[c] / tq[c];
                kl += tq[c] * Math.log(tq[c] / tp[c]);
                meanW += tq[c] * w;
                meanW2 += tq[c] * w * w;
                eR += tp[c] * r;
            }
            SplittableRandom rng = new SplittableRandom(9);
            int n = 4000;
            List<ScoredSequence> policy = draw(tq, n, v, rng, ScoredSequence.POLICY);
            List<ScoredSequence> pinned = draw(tp, n, v, rng, ScoredSequence.PRETRAINED);
            PosteriorQuality.Figures f = PosteriorQuality.measure(q, pre, pinned, policy, rng);
            assertEquals(Math.log(eR), f.logMeanRewardPinned(), 3 * Math.sqrt((1 - eR) / (eR * n)), "log E_pre[R]");
            assertTrue(kl > 0.01, "the two models differ: KL " + kl);
            assertEquals(kl, f.klToPre(), 0.005, "KL(q || p_pre); about 3 standard errors at n = 4000");
            assertEquals(meanW * meanW / meanW2, f.essFraction(), 0.03, "ESS / n");
            assertEquals(n, f.policy());
        }
    }

    /** {@code n} cells drawn from a 128 × 128 table, with the half plane's floored log reward. */
    private static List<ScoredSequence> draw(double[] table, int n, int v, SplittableRandom rng, String source) {
        List<ScoredSequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int c = 0;
            for (double acc = table[0]; acc < u && c < table.length - 1; acc += table[++c]) {
                // walk the cumulative distribution
            }
            int[] x = {c / v, c % v};
            boolean zero = x[0] < 64;
            out.add(new ScoredSequence(x, zero ? -20.0 : 0.0, source, 0, Map.of(), 0, zero));
        }
        return out;
    }
}

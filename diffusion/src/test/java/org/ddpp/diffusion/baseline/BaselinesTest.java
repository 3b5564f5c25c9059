package org.ddpp.diffusion.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.TinyModels;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Best-of-N and SVDD on the tiny two-token task: they raise the reward, count their reward calls, and are seeded. */
class BaselinesTest {

    private static final int K = 600;
    private static final int STEPS = 16;
    /** {@code log R = a − 4} on the first token: 0 at a = 4, −4 at a = 0. */
    private static final RewardFunction REWARD = xs -> {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i][0] - 4.0;
        }
        return out;
    };

    private static NDManager root;
    private static Mdm model;
    private static double plainMean;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        model = TinyModels.pretrained(root, 600, 1);
        plainMean = mean(REWARD.logReward(plain().sample(model, K, new SplittableRandom(3))));
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    private static AncestralSampler plain() {
        return new AncestralSampler(STEPS, true, true, new MaskSchedule());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    @Test
    void bestOfNRaisesTheRewardAndSpendsExactlyNPerSample() {
        BestOfN best = new BestOfN(plain(), 10, REWARD);
        int[][] xs = best.sample(model, K, new SplittableRandom(3));
        double m = mean(REWARD.logReward(xs));
        assertEquals(10L * K, best.rewardCalls());
        assertTrue(m > plainMean + 1.0, "best-of-10 mean log R " + m + " vs plain " + plainMean);
        assertTrue(m > -0.2, "best-of-10 of a prior with mass ~0.3 on a = 4 should almost always reach it: " + m);
    }

    @Test
    void svddRaisesTheRewardAndCountsItsCalls() {
        SvddSampler svdd = new SvddSampler(STEPS, 8, 0.0, new MaskSchedule(), REWARD);
        int[][] xs = svdd.sample(model, K, new SplittableRandom(3));
        double m = mean(REWARD.logReward(xs));
        assertTrue(m > plainMean + 1.0, "SVDD mean log R " + m + " vs plain " + plainMean);
        // one call per sequence at the start, then one per changed candidate: at least one move per unmasked token
        assertTrue(svdd.rewardCalls() >= 2L * K, "reward calls " + svdd.rewardCalls());
        assertTrue(svdd.rewardCalls() <= K + (long) K * 8 * STEPS, "reward calls " + svdd.rewardCalls());
        for (int[] x : xs) {
            assertTrue(x[0] >= 0 && x[0] < 5 && x[1] >= 0 && x[1] < 5, "a MASK or out-of-vocabulary token survived");
        }
    }

    @Test
    void softSvddWithHighTemperatureStaysNearThePlainSampler() {
        SvddSampler soft = new SvddSampler(STEPS, 8, 100.0, new MaskSchedule(), REWARD);
        double m = mean(REWARD.logReward(soft.sample(model, K, new SplittableRandom(3))));
        assertEquals(plainMean, m, 0.35, "alpha = 100 makes the choice almost uniform");
    }

    @Test
    void seedsReproduceSamples() {
        SvddSampler svdd = new SvddSampler(STEPS, 4, 0.0, new MaskSchedule(), REWARD);
        assertArrayEquals(svdd.sample(model, 200, new SplittableRandom(9)), svdd.sample(model, 200, new SplittableRandom(9)));
        BestOfN best = new BestOfN(plain(), 5, REWARD);
        assertArrayEquals(best.sample(model, 200, new SplittableRandom(9)), best.sample(model, 200, new SplittableRandom(9)));
    }

    @Test
    void diversityOfKnownSets() {
        int[][] xs = {{0, 0}, {0, 0}, {1, 1}, {0, 1}};
        assertEquals(0.75, Diversity.distinctFraction(xs), 1e-12);
        // pairs: (00,00)=0 (00,11)=2 (00,01)=1 (00,11)=2 (00,01)=1 (11,01)=1 → 7/6
        assertEquals(7.0 / 6.0, Diversity.meanPairwiseHamming(xs, 100), 1e-12);
        assertEquals(0.0, Diversity.meanPairwiseHamming(xs, 2), 1e-12);
    }
}

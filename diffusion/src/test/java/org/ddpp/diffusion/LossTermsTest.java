package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.diffusion.train.DdppLosses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional terms of the DDPP loss (docs/fidelity.md): the reward-weighted ELBO on exploration rows, the time
 * weighting of the squared residual and single-position maskings; off, the loss is the paper's.
 */
class LossTermsTest {

    private static NDManager root;
    private static Mdm reference;
    private static Mdm policy;
    private static LogPartition logZ;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        reference = TinyModels.pretrained(root, 50, 3);
        policy = Mdm.create(new TinyTask(), TinyModels.SHAPE, 99, root);
        logZ = LogPartition.create(new TinyTask(), NetworkShape.of(16, 1, 2), 5, root);
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    private static MaskedBatch batch(boolean[] explore) {
        TinyTask task = new TinyTask();
        SplittableRandom rng = new SplittableRandom(4);
        int[][] x0 = task.samplePrior(explore.length, rng);
        double[] logR = new double[explore.length];
        for (int i = 0; i < logR.length; i++) {
            logR[i] = i % 3 == 0 ? -20 : -0.5 * (i % 3);
        }
        return MaskedBatch.draw(x0, logR, explore, task, new MaskSchedule(), 0.0, rng);
    }

    private static double loss(MaskedBatch b, DdppLosses.Terms terms) {
        try (NDManager m = root.newSubManager()) {
            return DdppLosses.lb(m, policy, reference, logZ, b, false, terms).loss().getDouble();
        }
    }

    @Test
    void withoutTheTermsTheLossIsThePapersMeanSquaredResidual() {
        boolean[] explore = new boolean[16];
        java.util.Arrays.fill(explore, 0, 8, true);
        MaskedBatch b = batch(explore);
        try (NDManager m = root.newSubManager()) {
            DdppLosses.Value v = DdppLosses.lb(m, policy, reference, logZ, b, false);
            double expected = java.util.Arrays.stream(v.residual().toDoubleArray()).map(r -> r * r).average().orElseThrow();
            assertEquals(expected, v.loss().getDouble(), 1e-9);
            assertEquals(expected, loss(b, DdppLosses.Terms.of(DdppConfig.builder().build())), 1e-9, "the defaults are the paper's");
        }
    }

    @Test
    void theElboTermIsTheRewardWeightedCrossEntropyOfTheExplorationRows() {
        boolean[] explore = new boolean[16];
        java.util.Arrays.fill(explore, 0, 8, true);
        MaskedBatch b = batch(explore);
        double paper = loss(b, DdppLosses.Terms.PAPER);
        double withElbo = loss(b, new DdppLosses.Terms(DdppConfig.TimeWeighting.UNIFORM, 2.0));
        double[] logQ;
        try (NDManager m = root.newSubManager()) {
            logQ = DdppLosses.policyLogProb(m, policy, b).toDoubleArray();
        }
        double norm = 0;
        double ce = 0;
        for (int i = 0; i < 8; i++) {
            double w = Math.exp(b.logReward()[i]);
            norm += w;
            ce += w * -logQ[i];
        }
        assertEquals(2.0 * ce / norm, withElbo - paper, 1e-6);
        // policy rows never enter: a batch without exploration rows has no ELBO term
        MaskedBatch none = new MaskedBatch(b.x0(), b.xt(), b.t(), b.logReward());
        assertEquals(loss(none, DdppLosses.Terms.PAPER), loss(none, new DdppLosses.Terms(DdppConfig.TimeWeighting.UNIFORM, 2.0)), 1e-12);
    }

    @Test
    void decreasingTimeWeightsAverageOneAndSingleMaskRowsHaveOneMask() {
        double mean = 0;
        for (int k = 0; k < 1000; k++) {
            mean += DdppConfig.TimeWeighting.DECREASING.weight((k + 0.5) / 1000) / 1000;
        }
        assertEquals(1.0, mean, 1e-9);
        TinyTask task = new TinyTask();
        SplittableRandom rng = new SplittableRandom(8);
        int[][] x0 = task.samplePrior(200, rng);
        MaskedBatch b = MaskedBatch.draw(x0, new double[200], new boolean[200], task, new MaskSchedule(), 1.0, rng);
        for (int i = 0; i < 200; i++) {
            int masked = 0;
            for (int j = 0; j < x0[i].length; j++) {
                if (b.xt()[i][j] == task.maskId()) {
                    masked++;
                } else {
                    assertEquals(x0[i][j], b.xt()[i][j]);
                }
            }
            assertEquals(1, masked, "row " + i);
        }
        DdppConfig decaying = DdppConfig.builder().optLrDecaySteps(100).build();
        assertEquals(1.0, decaying.learningRateScale(0), 1e-12);
        assertEquals(0.55, decaying.learningRateScale(50), 1e-12);
        assertEquals(0.1, decaying.learningRateScale(500), 1e-12);
        assertEquals(1.0, DdppConfig.builder().build().learningRateScale(5000), 0.0, "constant by default");
        assertThrows(IllegalArgumentException.class, () -> DdppConfig.builder().optElboWeight(-1).build());
        assertThrows(IllegalArgumentException.class, () -> DdppConfig.builder().optSingleMaskShare(1.5).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DdppConfig.TimeWeighting.parse("cubic"))
                .getMessage().contains("uniform, decreasing"));
    }
}

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

    /** log q(x0_j | xt) from a model's output at row {@code i}. */
    private static double tokenLogProb(float[] out, int i, int j, int token, int len, int vocab) {
        return out[(i * len + j) * vocab + token];
    }

    @Test
    void thePositionResidualRegressesOneMaskedPositionAgainstTheNextStatesLogZ() {
        TinyTask task = new TinyTask();
        int mask = task.maskId();
        boolean[] explore = new boolean[64];
        MaskedBatch b = batch(explore);
        DdppLosses.Terms terms = DdppLosses.Terms.PAPER;
        try (NDManager m = root.newSubManager()) {
            DdppLosses.Value joint = DdppLosses.lb(m, policy, reference, logZ, b, false);
            DdppLosses.Value position = DdppLosses.lbPerPosition(m, policy, reference, logZ, b, false, terms, new SplittableRandom(3));
            double[] rJoint = joint.residual().toDoubleArray();
            double[] r = position.residual().toDoubleArray();
            float[] q = policy.logProbs(m, b.xt(), false).toFloatArray();
            float[] p = reference.logProbs(m, b.xt(), false).toFloatArray();
            float[] zHere = logZ.logZ(m, b.xt(), b.t(), false).toFloatArray();
            int len = b.xt()[0].length;
            int vocab = task.vocabSize();
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            int multi = 0;
            for (int i = 0; i < b.size(); i++) {
                int[] row = b.xt()[i];
                int[] masked = java.util.stream.IntStream.range(0, len).filter(k -> row[k] == mask).toArray();
                if (masked.length == 0) {
                    continue; // re-masked at a random position: covered by the row count below
                }
                if (masked.length == 1) {
                    // the next state is the clean sequence, whose log Z is log R: the paper's residual
                    assertEquals(rJoint[i], r[i], 1e-6, "row " + i);
                    continue;
                }
                multi++;
                boolean matched = false;
                for (int j : masked) {
                    int[] next = b.xt()[i].clone();
                    next[j] = b.x0()[i][j];
                    double zNext = logZ.logZ(m, new int[][] {next}, new double[] {b.t()[i]}, false).getFloat(0);
                    double expected = tokenLogProb(q, i, j, b.x0()[i][j], len, vocab) - tokenLogProb(p, i, j, b.x0()[i][j], len, vocab)
                            - zNext + zHere[i];
                    if (Math.abs(expected - r[i]) < 1e-4) {
                        matched = true;
                        chosen.add(j);
                    }
                }
                assertTrue(matched, "row " + i + ": residual " + r[i] + " is no masked position's one-step residual");
            }
            assertTrue(multi > 10, "the batch should have rows with several masks: " + multi);
            assertTrue(chosen.size() > 1, "the position should be drawn, not fixed: " + chosen);
            double meanSquare = java.util.Arrays.stream(r).map(v -> v * v).average().orElseThrow();
            assertEquals(meanSquare, position.loss().getDouble(), 1e-9);
        }
    }

    @Test
    void theLogZAnchorAddsThePoissonLossOfTheExplorationRows() {
        boolean[] explore = new boolean[16];
        java.util.Arrays.fill(explore, 0, 8, true);
        MaskedBatch b = batch(explore);
        double paper = loss(b, DdppLosses.Terms.PAPER);
        double anchored = loss(b, new DdppLosses.Terms(DdppConfig.TimeWeighting.UNIFORM, 0.0, 1.0, 0.5));
        double[] z;
        try (NDManager m = root.newSubManager()) {
            z = DdppLosses.lb(m, policy, reference, logZ, b, false).logZ().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
        double c = java.util.stream.IntStream.range(0, 8).mapToDouble(i -> b.logReward()[i]).max().orElseThrow();
        double expected = 0;
        for (int i = 0; i < 8; i++) {
            double s = z[i] - c;
            expected += (Math.exp(s) - Math.exp(b.logReward()[i] - c) * s) / 8;
        }
        assertEquals(0.5 * expected, anchored - paper, 1e-6);
        // its minimiser over one log Z shared by rows is log mean R: the derivative e^s − mean R̃ vanishes there
        double meanR = java.util.stream.IntStream.range(0, 8).mapToDouble(i -> Math.exp(b.logReward()[i] - c)).average().orElseThrow();
        double best = Math.log(meanR);
        double at = 0;
        double off = 0;
        for (int i = 0; i < 8; i++) {
            double rt = Math.exp(b.logReward()[i] - c);
            at += Math.exp(best) - rt * best;
            off += Math.exp(best + 0.1) - rt * (best + 0.1) + Math.exp(best - 0.1) - rt * (best - 0.1);
        }
        assertTrue(2 * at < off, "log mean R minimises the Poisson loss");
        MaskedBatch none = new MaskedBatch(b.x0(), b.xt(), b.t(), b.logReward());
        assertEquals(loss(none, DdppLosses.Terms.PAPER),
                loss(none, new DdppLosses.Terms(DdppConfig.TimeWeighting.UNIFORM, 0.0, 1.0, 0.5)), 1e-12, "policy rows never enter");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DdppConfig.Residual.parse("pairwise"))
                .getMessage().contains("joint, position"));
    }
}

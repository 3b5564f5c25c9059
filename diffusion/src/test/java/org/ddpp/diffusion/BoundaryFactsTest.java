package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppLosses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The boundary facts of docs/algorithm.md ("Boundary facts"), checked on real networks. */
class BoundaryFactsTest {

    private static NDManager root;
    private static Mdm reference;
    private static Mdm policy;
    private static LogPartition logZ;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        reference = TinyModels.pretrained(root, 100, 3);
        policy = Mdm.create(new TinyTask(), TinyModels.SHAPE, 99, root); // deliberately different weights
        logZ = LogPartition.create(new TinyTask(), NetworkShape.of(16, 1, 2), 5, root);
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    @Test
    void withoutMasksLogQIsZeroAndResidualIsLogZMinusLogR() {
        int[][] x0 = new TinyTask().samplePrior(16, new SplittableRandom(1));
        double[] logR = new double[16];
        double[] t = new double[16];
        for (int i = 0; i < 16; i++) {
            logR[i] = -0.25 * i;
            t[i] = 0.5;
        }
        MaskedBatch batch = new MaskedBatch(x0, x0, t, logR);
        try (NDManager m = root.newSubManager()) {
            DdppLosses.Value v = DdppLosses.lb(m, policy, reference, logZ, batch, false);
            assertArrayEquals(new double[16], v.logQ().toDoubleArray(), 0.0);
            assertArrayEquals(new double[16], v.logP().toDoubleArray(), 0.0);
            float[] z = v.logZ().toFloatArray();
            double[] residual = v.residual().toDoubleArray();
            for (int i = 0; i < 16; i++) {
                assertEquals(z[i] - logR[i], residual[i], 1e-12, "row " + i);
            }
        }
    }

    @Test
    void maskedPositionsAloneEnterTheSum() {
        TinyTask task = new TinyTask();
        int mask = task.maskId();
        int[][] x0 = {{1, 2}, {1, 2}};
        int[][] xt = {{mask, 2}, {mask, mask}};
        MaskedBatch batch = new MaskedBatch(x0, xt, new double[] {0.5, 0.9}, new double[] {0, 0});
        float[][][] p = reference.probabilities(xt);
        try (NDManager m = root.newSubManager()) {
            double[] logP = DdppLosses.referenceLogProb(m, reference, batch).toDoubleArray();
            assertEquals(Math.log(p[0][0][1]), logP[0], 1e-5);
            assertEquals(Math.log(p[1][0][1]) + Math.log(p[1][1][2]), logP[1], 1e-5);
        }
    }
}

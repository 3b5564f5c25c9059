package org.ddpp.diffusion.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.junit.jupiter.api.Test;

/** The unmasking-order likelihood is exact on the grid (L = 2, both orders): it matches the exact enumeration. */
class OrderLikelihoodTest {

    @Test
    void bothOrdersOnTheGridGiveTheFirstHitSamplersExactLikelihood() {
        GridTask task = new GridTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm q = Mdm.create(task, NetworkShape.of(16, 1, 2), 3, root);
            Mdm p = Mdm.create(task, NetworkShape.of(16, 1, 2), 4, root);
            double[] exactQ = ExactTwoTokenDistribution.of(q);
            double[] exactP = ExactTwoTokenDistribution.of(p);
            int v = task.vocabSize();
            SplittableRandom rng = new SplittableRandom(7);
            int[][] x = new int[20][];
            for (int i = 0; i < x.length; i++) {
                x[i] = new int[] {rng.nextInt(v), rng.nextInt(v)};
            }
            OrderLikelihood.Estimate e = OrderLikelihood.of(q, p, x, 4, 16, rng);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.log(exactQ[x[i][0] * v + x[i][1]]), e.logQ()[i], 1e-3, "log q of " + x[i][0] + "," + x[i][1]);
                assertEquals(Math.log(exactP[x[i][0] * v + x[i][1]]), e.logP()[i], 1e-3);
                assertEquals(e.logQ()[i] - e.logP()[i], e.logRatio()[i], 1e-12);
            }
            // one drawn order (K = 1) is a single path: at most the two-order mixture's log plus log 2
            OrderLikelihood.Estimate one = OrderLikelihood.of(q, p, x, 1, 16, rng);
            for (int i = 0; i < x.length; i++) {
                assertTrue(one.logQ()[i] <= e.logQ()[i] + Math.log(2) + 1e-6);
            }
        }
    }

    @Test
    void logMeanExpIsStable() {
        assertEquals(Math.log(0.5), OrderLikelihood.logMeanExp(new double[] {0.0, Double.NEGATIVE_INFINITY}), 1e-12);
        assertEquals(-1000.0, OrderLikelihood.logMeanExp(new double[] {-1000.0, -1000.0}), 1e-9);
        assertEquals(Double.NEGATIVE_INFINITY, OrderLikelihood.logMeanExp(new double[] {Double.NEGATIVE_INFINITY}));
    }
}

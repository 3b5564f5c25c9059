package org.ddpp.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.TinyModels;
import org.ddpp.diffusion.TinyTask;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.junit.jupiter.api.Test;

/** DDPP-IS's log Z estimate against the exact value it estimates. */
class ImportanceLogZTest {

    @Test
    void estimateAtFullMaskConvergesToTheExactMeanFieldExpectation() {
        TinyTask task = new TinyTask();
        RewardFunction reward = xs -> {
            double[] r = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                r[i] = xs[i][0] == xs[i][1] ? 0.0 : -3.0;
            }
            return r;
        };
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm reference = TinyModels.pretrained(root, 100, 2);
            Mdm other = TinyModels.pretrained(root, 10, 9); // a different proposal
            int[][] xt = {{task.maskId(), task.maskId()}};
            float[][][] p = reference.probabilities(xt);
            double exact = 0;
            for (int a = 0; a < 5; a++) {
                for (int b = 0; b < 5; b++) {
                    exact += p[0][0][a] * p[0][1][b] * Math.exp(a == b ? 0.0 : -3.0);
                }
            }
            exact = Math.log(exact);
            float[] refLog;
            float[] propLog;
            try (NDManager m = root.newSubManager()) {
                refLog = reference.logProbs(m, xt, false).toFloatArray();
                propLog = other.logProbs(m, xt, false).toFloatArray();
            }
            int samples = 40_000;
            double fromReference = DdppLosses.importanceLogZ(refLog, null, xt, reward, samples, 5, task.maskId(), new SplittableRandom(1))[0];
            double fromOther = DdppLosses.importanceLogZ(refLog, propLog, xt, reward, samples, 5, task.maskId(), new SplittableRandom(2))[0];
            assertEquals(exact, fromReference, 0.02);
            assertEquals(exact, fromOther, 0.03);
        }
    }
}

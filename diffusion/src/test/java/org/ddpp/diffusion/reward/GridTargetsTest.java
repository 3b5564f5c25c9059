package org.ddpp.diffusion.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.task.GridTask;
import org.junit.jupiter.api.Test;

/** The grid targets' rewards on known cells, and the exact posterior each gives over the prior's 16 squares. */
class GridTargetsTest {

    private static final GridTask GRID = new GridTask();

    private static double logR(String spec, int a, int b) {
        return GridTargets.parse(spec).logReward(new int[][] {{a, b}})[0];
    }

    @Test
    void rewardsOnKnownCells() {
        assertEquals(0.0, logR("half-plane", 64, 0));
        assertEquals(Double.NEGATIVE_INFINITY, logR("half-plane", 63, 127));
        assertEquals(0.0, logR("checkerboard", 16, 16), "block (0,0): even");
        assertEquals(Double.NEGATIVE_INFINITY, logR("checkerboard", 16, 48), "block (0,1): odd");
        assertEquals(Double.NEGATIVE_INFINITY, logR("checkerboard", 80, 112), "block (2,3): odd");
        assertEquals(0.0, logR("checkerboard", 80, 80), "block (2,2): even");
    }

    @Test
    void checkerboardKeepsHalfTheSquaresAndThePosteriorDoesNotFactorise() {
        RewardFunction raw = GridTargets.parse("checkerboard");
        GridEvaluation eval = new GridEvaluation(GRID, new LogRewardFloor(raw, -20), raw);
        double[] prior = GRID.priorTable();
        double[] target = eval.target(prior);
        assertEquals(Math.log(0.5), eval.logPartition(prior), 1e-6, "8 of the 16 equally likely squares are rewarded");
        assertTrue(eval.massWhereRewardZero(target) < 1e-6);
        int v = GRID.vocabSize();
        double[] first = new double[v];
        double[] second = new double[v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                first[a] += target[a * v + b];
                second[b] += target[a * v + b];
            }
        }
        double[] product = new double[v * v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                product[a * v + b] = first[a] * second[b];
            }
        }
        assertTrue(Distributions.totalVariation(product, target) > 0.4,
                "the product of its marginals is far from the checkerboard posterior");
    }

    @Test
    void theAnnulusAndCouplingTakeParametersAndBadSpecsAreOneLine() {
        assertEquals(0.0, logR("annulus", 64 + 30, 64));
        assertEquals(Double.NEGATIVE_INFINITY, logR("annulus", 64 + 10, 64));
        assertEquals(0.0, logR("annulus:inner=5,outer=12", 64 + 10, 64));
        assertEquals(-2.0, logR("coupling", 40, 8), 1e-12);
        assertEquals(-4.0, logR("coupling:scale=8", 40, 8), 1e-12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridTargets.parse("spiral")).getMessage()
                .contains("known: half-plane, center, checkerboard, annulus, coupling"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridTargets.parse("annulus:radius=3")).getMessage()
                .contains("no parameter [radius]"));
        assertThrows(IllegalArgumentException.class, () -> GridTargets.parse("annulus:inner=9,outer=4"));
    }
}

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
        double[][] marginals = Distributions.marginals(target, v);
        double[] first = marginals[0];
        double[] second = marginals[1];
        double[] product = new double[v * v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                product[a * v + b] = first[a] * second[b];
            }
        }
        assertTrue(Distributions.totalVariation(product, target) > 0.4,
                "the product of its marginals is far from the checkerboard posterior");
    }

    /** A pre-trained table that is not the prior: the prior tilted by a smooth bump, so weights differ by cell. */
    private static double[] perturbedPrior() {
        double[] p = GRID.priorTable().clone();
        int v = GRID.vocabSize();
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                p[a * v + b] *= 1.0 + 0.5 * Math.sin(a / 9.0) * Math.cos(b / 13.0);
                p[a * v + b] += 1e-7; // a little mass everywhere, as a trained model has
            }
        }
        return Distributions.normalise(p);
    }

    @Test
    void everyTargetsExactPosteriorIsNormalisedHasNoMassWhereRIsZeroAndItsLogZIsLogEPreR() {
        int v = GRID.vocabSize();
        double floor = -20;
        for (double[] pre : new double[][] {GRID.priorTable(), perturbedPrior()}) {
            for (String spec : GridTargets.SUITE) {
                RewardFunction raw = GridTargets.parse(spec);
                GridEvaluation eval = new GridEvaluation(GRID, new LogRewardFloor(raw, floor), raw);
                double[] target = eval.target(pre);
                double sum = 0;
                for (double x : target) {
                    assertTrue(x >= 0, spec);
                    sum += x;
                }
                assertEquals(1.0, sum, 1e-9, spec + ": normalised");
                // log E_pre[R] cell by cell, one reward call per cell, without the evaluation's tables
                double expectation = 0;
                double zeroMassPre = 0;
                for (int a = 0; a < v; a++) {
                    for (int b = 0; b < v; b++) {
                        double logR = raw.logReward(new int[][] {{a, b}})[0];
                        double floored = Math.max(logR, floor);
                        expectation += pre[a * v + b] * Math.exp(floored);
                        if (logR == Double.NEGATIVE_INFINITY) {
                            zeroMassPre += pre[a * v + b];
                        }
                        // Bayes: pi(x) = p_pre(x) R(x) / Z
                        assertEquals(pre[a * v + b] * Math.exp(floored), target[a * v + b] * Math.exp(eval.logPartition(pre)),
                                1e-12, spec + " at " + a + "," + b);
                    }
                }
                assertEquals(Math.log(expectation), eval.logPartition(pre), 1e-9, spec + ": log Z exact = log E_pre[R]");
                // where R = 0 the floored target keeps only e^floor of the pre-trained mass
                assertEquals(zeroMassPre * Math.exp(floor) / expectation, eval.massWhereRewardZero(target), 1e-12, spec);
                assertTrue(eval.massWhereRewardZero(target) < 1e-8, spec + ": no mass where R = 0");
            }
        }
    }

    @Test
    void logZOnThePriorMatchesAMonteCarloEstimateAndTheClosedForms() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int[][] xs = GRID.samplePrior(200_000, rng);
        for (String spec : GridTargets.SUITE) {
            RewardFunction raw = GridTargets.parse(spec);
            GridEvaluation eval = new GridEvaluation(GRID, new LogRewardFloor(raw, -20), raw);
            double mean = java.util.Arrays.stream(raw.logReward(xs)).map(Math::exp).average().orElseThrow();
            assertEquals(Math.log(mean), eval.logPartition(GRID.priorTable()), 0.02, spec + ": Monte Carlo log E_prior[R]");
        }
        assertEquals(Math.log(0.5), new GridEvaluation(GRID, GridTargets.parse("half-plane"), GridTargets.parse("half-plane"))
                .logPartition(GRID.priorTable()), 1e-6);
    }

    @Test
    void onlineScorerNamesForTheTargets() {
        assertEquals("grid-checkerboard", GridTargets.scorerName("checkerboard"));
        assertEquals("grid-half-plane", GridTargets.scorerName("half-plane"));
        assertTrue(GridTargets.isTarget("coupling"));
        assertTrue(!GridTargets.isTarget("grid-coupling"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridTargets.scorerName("annulus:inner=3,outer=9"))
                .getMessage().contains("offline only"));
        assertThrows(IllegalArgumentException.class, () -> GridTargets.scorerName("spiral"));
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

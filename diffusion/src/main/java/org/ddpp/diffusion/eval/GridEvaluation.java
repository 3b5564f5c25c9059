package org.ddpp.diffusion.eval;

import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.GridTask;

/**
 * Exact quality figures on the grid: the pre-trained model's distance to the prior data, and a policy's distance
 * to the target {@code π ∝ p_model · R} (with R floored as in training), computed from exact tables.
 */
public final class GridEvaluation {

    private final GridTask task;
    private final double[] logRewardTable;
    private final boolean[] rewardZero;

    /** @param reward the floored reward the fine-tune targets */
    public GridEvaluation(GridTask task, RewardFunction reward, RewardFunction rawReward) {
        this.task = task;
        int v = task.vocabSize();
        int[][] all = new int[v * v][];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                all[a * v + b] = new int[] {a, b};
            }
        }
        this.logRewardTable = reward.logReward(all);
        double[] raw = rawReward.logReward(all);
        this.rewardZero = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) {
            rewardZero[i] = raw[i] == Double.NEGATIVE_INFINITY;
        }
    }

    /** The target table {@code π ∝ p_pre · R}. */
    public double[] target(double[] pretrained) {
        return Distributions.tilt(pretrained, logRewardTable);
    }

    /** {@code log E_{p_pre}[R]}, the value log Z should reach at the fully masked input. */
    public double logPartition(double[] pretrained) {
        return Distributions.logExpectation(pretrained, logRewardTable);
    }

    /** Mass a table puts where the raw reward is zero. */
    public double massWhereRewardZero(double[] table) {
        return Distributions.mass(table, rewardZero);
    }

    /** TV of a model's exact distribution to the prior data. */
    public double tvToPrior(double[] model) {
        return Distributions.totalVariation(model, task.priorTable());
    }

    /** The exact first-hit distribution of {@code model}. */
    public static double[] exact(Mdm model) {
        return ExactTwoTokenDistribution.of(model);
    }

    /**
     * Mean over the two positions of the TV between {@code model}'s all-MASK prediction and the target's marginal:
     * the part of the error made where sampling starts (a per-position denoiser can match these marginals exactly,
     * even when the target couples the positions).
     */
    public static double tvFullMaskMarginals(Mdm model, double[] target) {
        double[][] mu = ExactTwoTokenDistribution.fullMaskMarginals(model);
        double[][] pi = Distributions.marginals(target, mu[0].length);
        return 0.5 * (Distributions.totalVariation(mu[0], pi[0]) + Distributions.totalVariation(mu[1], pi[1]));
    }

    /**
     * The target-weighted mean TV between {@code model}'s conditionals at the states with one position masked and the
     * target's, {@code ½ Σ_a π₀(a)·TV(q(·|a, M), π(·|a)) + ½ Σ_b π₁(b)·TV(q(·|M, b), π(·|b))}: the part of the error
     * made in the second sampling step.
     */
    public static double tvOneMaskConditionals(Mdm model, double[] target) {
        int v = model.task().vocabSize();
        int mask = model.task().maskId();
        int[][] inputs = new int[2 * v][];
        for (int a = 0; a < v; a++) {
            inputs[a] = new int[] {a, mask};
            inputs[v + a] = new int[] {mask, a};
        }
        float[][][] p = model.probabilities(inputs);
        double[][] pi = Distributions.marginals(target, v);
        double total = 0.0;
        for (int given = 0; given < v; given++) {
            double[] second = new double[v]; // π(· | x¹ = given)
            double[] first = new double[v]; // π(· | x² = given)
            double[] qSecond = new double[v];
            double[] qFirst = new double[v];
            for (int other = 0; other < v; other++) {
                second[other] = pi[0][given] > 0 ? target[given * v + other] / pi[0][given] : 0.0;
                first[other] = pi[1][given] > 0 ? target[other * v + given] / pi[1][given] : 0.0;
                qSecond[other] = p[given][1][other];
                qFirst[other] = p[v + given][0][other];
            }
            if (pi[0][given] > 0) {
                total += 0.5 * pi[0][given] * Distributions.totalVariation(Distributions.normalise(qSecond), second);
            }
            if (pi[1][given] > 0) {
                total += 0.5 * pi[1][given] * Distributions.totalVariation(Distributions.normalise(qFirst), first);
            }
        }
        return total;
    }
}

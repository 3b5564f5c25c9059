package org.ddpp.diffusion;

import java.util.SplittableRandom;

/**
 * MDLM's log-linear masking schedule {@code alpha_t = 1 − (1 − eps)·t}: each maskable position of a clean
 * sequence is replaced by MASK independently with probability {@code 1 − alpha_t}. Training times are drawn from
 * {@code [eps, 1]}, antithetically across a batch for lower variance.
 */
public final class MaskSchedule {

    /** The default {@code eps}, 1e-3, as in MDLM. */
    public static final double DEFAULT_EPS = 1e-3;

    private final double eps;

    public MaskSchedule() {
        this(DEFAULT_EPS);
    }

    public MaskSchedule(double eps) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.eps = eps;
    }

    public double eps() {
        return eps;
    }

    /** {@code alpha_t}: the probability that a position is still clean at time t. */
    public double alpha(double t) {
        return 1.0 - (1.0 - eps) * t;
    }

    /** {@code 1 − alpha_t}: the probability that a position is masked at time t. */
    public double maskProbability(double t) {
        return 1.0 - alpha(t);
    }

    /** The ELBO weight {@code −alpha'_t / (1 − alpha_t)}, which is exactly {@code 1/t} for this schedule. */
    public double elboWeight(double t) {
        return (1.0 - eps) / maskProbability(t);
    }

    /** {@code n} training times {@code t = eps + (1 − eps)·u}, with antithetic (evenly shifted) {@code u}. */
    public double[] sampleTimes(int n, SplittableRandom rng) {
        double u0 = rng.nextDouble();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double u = (u0 + (double) i / n) % 1.0;
            t[i] = eps + (1.0 - eps) * u;
        }
        return t;
    }

    /**
     * Masks each sequence at its own time: every position with {@code maskable[i]} becomes {@code maskId} with
     * probability {@code 1 − alpha_t}. The input is not modified.
     */
    public int[][] mask(int[][] x0, double[] t, boolean[] maskable, int maskId, SplittableRandom rng) {
        int[][] xt = new int[x0.length][];
        for (int b = 0; b < x0.length; b++) {
            double p = maskProbability(t[b]);
            xt[b] = x0[b].clone();
            for (int i = 0; i < xt[b].length; i++) {
                if (maskable[i] && rng.nextDouble() < p) {
                    xt[b][i] = maskId;
                }
            }
        }
        return xt;
    }
}

package org.ddpp.diffusion.sample;

import java.util.SplittableRandom;

/** Draws from categorical distributions held in flat Java arrays, with a Java random stream (reproducible). */
public final class Categorical {

    private Categorical() {}

    /** Samples an index in {@code [0, n)} from probabilities {@code p[offset .. offset+n)}. */
    public static int sample(float[] p, int offset, int n, SplittableRandom rng) {
        double total = 0.0;
        for (int k = 0; k < n; k++) {
            total += p[offset + k];
        }
        double u = rng.nextDouble() * total;
        double acc = 0.0;
        for (int k = 0; k < n; k++) {
            acc += p[offset + k];
            if (u < acc) {
                return k;
            }
        }
        return lastPositive(p, offset, n);
    }

    /** Samples from log-probabilities {@code lp[offset .. offset+n)}. */
    public static int sampleLog(float[] lp, int offset, int n, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, lp[offset + k]);
        }
        double total = 0.0;
        for (int k = 0; k < n; k++) {
            total += Math.exp(lp[offset + k] - max);
        }
        double u = rng.nextDouble() * total;
        double acc = 0.0;
        for (int k = 0; k < n; k++) {
            acc += Math.exp(lp[offset + k] - max);
            if (u < acc) {
                return k;
            }
        }
        return n - 1;
    }

    /** Index of the largest probability. */
    public static int argmax(float[] p, int offset, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (p[offset + k] > p[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    private static int lastPositive(float[] p, int offset, int n) {
        for (int k = n - 1; k >= 0; k--) {
            if (p[offset + k] > 0) {
                return k;
            }
        }
        return n - 1;
    }
}

package org.ddpp.diffusion.eval;

/** Distances between discrete distributions given as probability tables. */
public final class Distributions {

    private Distributions() {}

    /** Total-variation distance {@code ½ Σ |p − q|}. */
    public static double totalVariation(double[] p, double[] q) {
        check(p, q);
        double s = 0.0;
        for (int i = 0; i < p.length; i++) {
            s += Math.abs(p[i] - q[i]);
        }
        return 0.5 * s;
    }

    /** {@code KL(p ‖ q) = Σ p log(p/q)}; infinite where q = 0 < p. */
    public static double kl(double[] p, double[] q) {
        check(p, q);
        double s = 0.0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                s += q[i] > 0 ? p[i] * Math.log(p[i] / q[i]) : Double.POSITIVE_INFINITY;
            }
        }
        return s;
    }

    /** {@code π ∝ p · exp(logR)}, normalised. */
    public static double[] tilt(double[] p, double[] logReward) {
        check(p, logReward);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] * Math.exp(logReward[i]);
        }
        return normalise(out);
    }

    /** {@code log Σ p · exp(logR)}: the log partition {@code log E_p[R]}. */
    public static double logExpectation(double[] p, double[] logReward) {
        check(p, logReward);
        double s = 0.0;
        for (int i = 0; i < p.length; i++) {
            s += p[i] * Math.exp(logReward[i]);
        }
        return Math.log(s);
    }

    /** Mass of {@code p} on entries where {@code indicator} is true. */
    public static double mass(double[] p, boolean[] indicator) {
        double s = 0.0;
        for (int i = 0; i < p.length; i++) {
            if (indicator[i]) {
                s += p[i];
            }
        }
        return s;
    }

    /** Scales a non-negative table to sum 1. */
    public static double[] normalise(double[] table) {
        double s = 0.0;
        for (double v : table) {
            s += v;
        }
        double[] out = new double[table.length];
        for (int i = 0; i < table.length; i++) {
            out[i] = table[i] / s;
        }
        return out;
    }

    /** The empirical distribution of sequences {@code (a, b)} over a {@code V×V} table. */
    public static double[] histogram(int[][] samples, int vocab) {
        double[] h = new double[vocab * vocab];
        for (int[] s : samples) {
            h[s[0] * vocab + s[1]] += 1.0;
        }
        return normalise(h);
    }

    private static void check(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("tables differ in size: " + p.length + " vs " + q.length);
        }
    }

    /** The two one-position marginals {@code [first, second]} of a two-token table indexed {@code a·v + b}. */
    public static double[][] marginals(double[] table, int v) {
        double[] first = new double[v];
        double[] second = new double[v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                first[a] += table[a * v + b];
                second[b] += table[a * v + b];
            }
        }
        return new double[][] {first, second};
    }
}

package org.ddpp.diffusion;

import java.util.SplittableRandom;
import org.ddpp.diffusion.task.Task;

/**
 * A two-token task with five symbols and a strongly correlated prior, small enough that every distribution is
 * a 25-cell table and sampling tests have real statistical power.
 */
public final class TinyTask implements Task {

    /** Prior probabilities of (a, b), indexed a·5 + b. */
    public static final double[] PRIOR = prior();

    private static double[] prior() {
        double[] p = new double[25];
        double total = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                // mass concentrated on b = a and b = a+1 (mod 5), with a tilt over a
                double w = (b == a ? 4.0 : b == (a + 1) % 5 ? 2.0 : 0.25) * (1 + a);
                p[a * 5 + b] = w;
                total += w;
            }
        }
        for (int i = 0; i < 25; i++) {
            p[i] /= total;
        }
        return p;
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public int vocabSize() {
        return 5;
    }

    @Override
    public int length() {
        return 2;
    }

    @Override
    public boolean[] maskable() {
        return new boolean[] {true, true};
    }

    @Override
    public String render(int[] tokens) {
        return tokens[0] + "," + tokens[1];
    }

    @Override
    public int[][] samplePrior(int n, SplittableRandom rng) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int k = 0;
            double acc = PRIOR[0];
            while (u >= acc && k < 24) {
                acc += PRIOR[++k];
            }
            out[i] = new int[] {k / 5, k % 5};
        }
        return out;
    }
}

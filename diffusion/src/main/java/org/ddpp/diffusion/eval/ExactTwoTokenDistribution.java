package org.ddpp.diffusion.eval;

import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;

/**
 * The exact distribution of the {@code FirstHitSampler} for a two-token task, from 1 + 2V forward passes (one
 * batch): {@code p(a, b) = ½ mu(MM)₀[a]·mu(aM)₁[b] + ½ mu(MM)₁[b]·mu(Mb)₀[a]}. Returned as a table indexed
 * {@code a·V + b}.
 */
public final class ExactTwoTokenDistribution {

    private ExactTwoTokenDistribution() {}

    public static double[] of(Mdm model) {
        Task task = model.task();
        if (task.length() != 2 || !task.maskable()[0] || !task.maskable()[1]) {
            throw new IllegalArgumentException("exact enumeration needs a task of two maskable tokens");
        }
        int v = task.vocabSize();
        int mask = task.maskId();
        int[][] inputs = new int[1 + 2 * v][];
        inputs[0] = new int[] {mask, mask};
        for (int a = 0; a < v; a++) {
            inputs[1 + a] = new int[] {a, mask};
            inputs[1 + v + a] = new int[] {mask, a};
        }
        float[][][] p = model.probabilities(inputs);
        double[] table = new double[v * v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                double firstA = (double) p[0][0][a] * p[1 + a][1][b];
                double firstB = (double) p[0][1][b] * p[1 + v + b][0][a];
                table[a * v + b] = 0.5 * firstA + 0.5 * firstB;
            }
        }
        return Distributions.normalise(table);
    }

    /** The denoiser's per-position distributions at the all-MASK input, {@code [position][token]}: where sampling starts. */
    public static double[][] fullMaskMarginals(Mdm model) {
        Task task = model.task();
        int mask = task.maskId();
        int[] all = new int[task.length()];
        java.util.Arrays.fill(all, mask);
        float[][][] p = model.probabilities(new int[][] {all});
        double[][] out = new double[task.length()][task.vocabSize()];
        for (int i = 0; i < out.length; i++) {
            for (int a = 0; a < out[i].length; a++) {
                out[i][a] = p[0][i][a];
            }
        }
        return out;
    }
}

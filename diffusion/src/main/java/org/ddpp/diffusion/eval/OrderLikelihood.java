package org.ddpp.diffusion.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.GradMode;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;

/**
 * Estimates a masked diffusion model's sequence log-likelihood {@code log q(x)} by unmasking orders: for an order
 * σ of the maskable positions, cut into {@code S} consecutive stages, the path's log-probability is
 * {@code Σ_s Σ_{j ∈ stage s} log μ(x with stages ≥ s masked)_j[x_j]} (the probability that a sampler revealing those
 * stages in that order draws {@code x}), and the estimate is {@code log mean_k exp(path_k)} over K orders. With one
 * position per stage and every order enumerated this is exact for the first-hit sampler (for L = 2:
 * {@link ExactTwoTokenDistribution}); with drawn orders it is a lower-biased estimate of that log (Jensen),
 * consistent as K grows. The same orders are used for both models, so their difference
 * {@code log q(x) − log p(x)} is the figure the online trainer's posterior-quality meters need.
 *
 * <p>Cost: K·S forward passes of each model over the n sequences (rows batched, chunked like
 * {@link Mdm#probabilities}). Runs on the calling thread, which must own the models (DJL models are not shared).
 */
public final class OrderLikelihood {

    private OrderLikelihood() {}

    /** Per-sequence estimates of both models, over the same orders. */
    public record Estimate(double[] logQ, double[] logP) {
        /** {@code log q(x_i) − log p(x_i)}. */
        public double[] logRatio() {
            double[] out = new double[logQ.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = logQ[i] - logP[i];
            }
            return out;
        }
    }

    /**
     * @param orders K: unmasking orders per sequence; when the maskable positions have at most K orders in all
     *     (and at most 6), every order is used once instead of drawing
     * @param maxStages S: at most this many stages per order (one position per stage when there are that few)
     */
    public static Estimate of(Mdm q, Mdm p, int[][] x, int orders, int maxStages, SplittableRandom rng) {
        if (orders < 1 || maxStages < 1) {
            throw new IllegalArgumentException("orders and stages must be >= 1, got " + orders + " and " + maxStages);
        }
        Task task = q.task();
        int[] maskable = maskablePositions(task);
        int n = x.length;
        List<int[]> all = maskable.length <= 3 && factorial(maskable.length) <= orders ? permutations(maskable) : null;
        int k = all == null ? orders : all.size();
        int stages = Math.max(1, Math.min(maskable.length, maxStages));
        // rows[(i·k + o)·stages + s]: sequence i, order o, stage s (stages ≥ s masked); reveal: the stage's positions
        int[][] rows = new int[n * k * stages][];
        int[][] reveal = new int[rows.length][];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                int[] order = all == null ? shuffled(maskable, rng) : all.get(o);
                for (int s = 0; s < stages; s++) {
                    int from = s * order.length / stages;
                    int to = (s + 1) * order.length / stages;
                    int[] xt = x[i].clone();
                    for (int j = from; j < order.length; j++) {
                        xt[order[j]] = task.maskId();
                    }
                    int r = (i * k + o) * stages + s;
                    rows[r] = xt;
                    reveal[r] = java.util.Arrays.copyOfRange(order, from, to);
                }
            }
        }
        return new Estimate(logLikelihood(q, x, rows, reveal, n, k, stages),
                logLikelihood(p, x, rows, reveal, n, k, stages));
    }

    private static double[] logLikelihood(Mdm model, int[][] x, int[][] rows, int[][] reveal, int n, int k, int stages) {
        double[] path = stageLogProbs(model, x, rows, reveal, k * stages);
        double[] out = new double[n];
        double[] perOrder = new double[k];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                double sum = 0;
                for (int s = 0; s < stages; s++) {
                    sum += path[(i * k + o) * stages + s];
                }
                perOrder[o] = sum;
            }
            out[i] = logMeanExp(perOrder);
        }
        return out;
    }

    /** For each row, the log-probability the model gives the row's revealed positions of its sequence. */
    private static double[] stageLogProbs(Mdm model, int[][] x, int[][] rows, int[][] reveal, int rowsPerSequence) {
        GradMode.off();
        Task task = model.task();
        int l = task.length();
        int v = task.vocabSize();
        int chunk = Math.max(1, Mdm.TOKENS_PER_FORWARD / l);
        double[] out = new double[rows.length];
        for (int from = 0; from < rows.length; from += chunk) {
            int m = Math.min(chunk, rows.length - from);
            try (NDManager nd = model.manager().newSubManager()) {
                float[] flat = model.logProbs(nd, java.util.Arrays.copyOfRange(rows, from, from + m), false).toFloatArray();
                for (int r = 0; r < m; r++) {
                    int[] seq = x[(from + r) / rowsPerSequence];
                    double sum = 0;
                    for (int j : reveal[from + r]) {
                        sum += flat[(r * l + j) * v + seq[j]];
                    }
                    out[from + r] = sum;
                }
            }
        }
        return out;
    }

    /** {@code log((1/n) Σ exp(v_i))}, stable; −∞ when every value is. */
    public static double logMeanExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY || values.length == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum / values.length);
    }

    private static int[] maskablePositions(Task task) {
        boolean[] maskable = task.maskable();
        int count = 0;
        for (boolean b : maskable) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        for (int j = 0, c = 0; j < maskable.length; j++) {
            if (maskable[j]) {
                out[c++] = j;
            }
        }
        return out;
    }

    private static int[] shuffled(int[] positions, SplittableRandom rng) {
        int[] out = positions.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static long factorial(int n) {
        long f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    private static List<int[]> permutations(int[] positions) {
        List<int[]> out = new ArrayList<>();
        permute(positions.clone(), 0, out);
        return out;
    }

    private static void permute(int[] a, int from, List<int[]> out) {
        if (from >= a.length - 1) {
            out.add(a.clone());
            return;
        }
        for (int i = from; i < a.length; i++) {
            int t = a[from];
            a[from] = a[i];
            a[i] = t;
            permute(a, from + 1, out);
            a[i] = a[from];
            a[from] = t;
        }
    }
}

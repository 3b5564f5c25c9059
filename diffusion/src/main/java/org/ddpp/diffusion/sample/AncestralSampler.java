package org.ddpp.diffusion.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;

/**
 * Ancestral MDM sampling in T steps from {@code t = 1} to {@code t = eps}: going from t to s, each masked position
 * unmasks with probability {@code (alpha_s − alpha_t)/(1 − alpha_t)} and takes a token drawn from
 * {@code mu(xt)}; what is still masked at the end is filled by argmax (or sampled, if configured).
 *
 * <p>Caching: the denoiser is not time-conditioned, so a sequence in which no position changed since its last
 * evaluation reuses that output; only sequences that changed are sent through the network.
 */
public final class AncestralSampler implements Sampler {

    private final int steps;
    private final boolean caching;
    private final boolean finalArgmax;
    private final MaskSchedule schedule;
    private final AtomicLong rowsEvaluated = new AtomicLong();

    public AncestralSampler(int steps, boolean caching, boolean finalArgmax, MaskSchedule schedule) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        this.steps = steps;
        this.caching = caching;
        this.finalArgmax = finalArgmax;
        this.schedule = schedule;
    }

    @Override
    public int[][] sample(Mdm model, int n, SplittableRandom rng) {
        Task task = model.task();
        int len = task.length();
        int vocab = task.vocabSize();
        int mask = task.maskId();
        int[][] x = InitialState.of(task, n, rng);
        float[][][] probs = new float[n][][];
        boolean[] dirty = new boolean[n];
        Arrays.fill(dirty, true);
        double eps = schedule.eps();
        for (int k = 0; k < steps; k++) {
            double t = 1.0 - (1.0 - eps) * k / steps;
            double s = 1.0 - (1.0 - eps) * (k + 1) / steps;
            double unmask = (schedule.alpha(s) - schedule.alpha(t)) / (1.0 - schedule.alpha(t));
            refresh(model, x, probs, dirty);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < len; j++) {
                    if (x[i][j] == mask && rng.nextDouble() < unmask) {
                        x[i][j] = Categorical.sample(probs[i][j], 0, vocab, rng);
                        dirty[i] = true;
                    }
                }
            }
        }
        refresh(model, x, probs, dirty);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                if (x[i][j] == mask) {
                    x[i][j] = finalArgmax
                            ? Categorical.argmax(probs[i][j], 0, vocab)
                            : Categorical.sample(probs[i][j], 0, vocab, rng);
                }
            }
        }
        return x;
    }

    /** Re-evaluates the rows that changed (all rows when caching is off). */
    private void refresh(Mdm model, int[][] x, float[][][] probs, boolean[] dirty) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!caching || dirty[i] || probs[i] == null) {
                rows.add(i);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        int[][] sub = new int[rows.size()][];
        for (int r = 0; r < sub.length; r++) {
            sub[r] = x[rows.get(r)];
        }
        float[][][] out = model.probabilities(sub);
        for (int r = 0; r < sub.length; r++) {
            probs[rows.get(r)] = out[r];
            dirty[rows.get(r)] = false;
        }
        rowsEvaluated.addAndGet(sub.length);
    }

    /** Total sequences sent through the network so far (a measure of what caching saves). */
    public long rowsEvaluated() {
        return rowsEvaluated.get();
    }

    @Override
    public String describe() {
        return "ancestral(steps=" + steps + ", caching=" + caching + ", final=" + (finalArgmax ? "argmax" : "sample") + ", eps=" + schedule.eps() + ")";
    }
}

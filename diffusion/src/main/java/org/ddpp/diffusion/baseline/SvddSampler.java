package org.ddpp.diffusion.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.InitialState;
import org.ddpp.diffusion.sample.Categorical;
import org.ddpp.diffusion.sample.Sampler;
import org.ddpp.diffusion.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SVDD-style inference-time steering (Li et al. 2024, "soft value-based decoding"), the paper's second baseline:
 * the same ancestral schedule as {@link org.ddpp.diffusion.sample.AncestralSampler}, but at every step each
 * sequence proposes {@code M} candidate next states {@code x_{t−1}} from the model, scores each by a value
 * estimate, and continues from one of them.
 *
 * <p>Value: {@code log R} of the candidate's predicted clean sample, i.e. the candidate with every still-masked
 * position filled by the argmax of the denoiser evaluated at that candidate (SVDD's "posterior mean"
 * approximation {@code v(x_t) ≈ r(x̂_0(x_t))} for discrete tokens; no learned value network). A candidate in which
 * nothing unmasked is the current state, so it keeps the current state's value and costs neither a network
 * evaluation nor a reward call; {@link #rewardCalls()} counts only the calls actually made.
 *
 * <p>Selection: with {@code alpha = 0} (default, as in the SVDD paper's experiments) the candidate of highest
 * value, ties broken uniformly over the tied candidates (so duplicate proposals keep their proposal weight);
 * with {@code alpha > 0} a candidate drawn with probability {@code ∝ exp(value/alpha)}.
 *
 * <p>Like the ancestral sampler it starts from MASK on the task's maskable positions and prior tokens elsewhere,
 * never re-masks or changes an unmasked token (SUBS carry-over), and fills what is left at the end by argmax —
 * which is exactly the predicted clean sample whose value was last chosen.
 */
public final class SvddSampler implements Sampler {

    private static final Logger LOG = LoggerFactory.getLogger(SvddSampler.class);
    private static final int CHUNK = 4096;

    private final int steps;
    private final int candidates;
    private final double alpha;
    private final MaskSchedule schedule;
    private final CountingReward reward;
    private final AtomicLong rowsEvaluated = new AtomicLong();

    /**
     * @param steps ancestral steps T
     * @param candidates proposals M per sequence and step, at least 1 (M = 1 is plain ancestral sampling)
     * @param alpha selection temperature; 0 = greedy
     * @param reward log reward of a clean sequence (the value of a candidate is the reward of its prediction)
     */
    public SvddSampler(int steps, int candidates, double alpha, MaskSchedule schedule, RewardFunction reward) {
        if (steps < 1 || candidates < 1) {
            throw new IllegalArgumentException("SVDD needs steps >= 1 and M >= 1, got " + steps + ", " + candidates);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("SVDD alpha must be a finite number >= 0, got " + alpha);
        }
        this.steps = steps;
        this.candidates = candidates;
        this.alpha = alpha;
        this.schedule = schedule;
        this.reward = new CountingReward(reward);
    }

    @Override
    public int[][] sample(Mdm model, int n, SplittableRandom rng) {
        Task task = model.task();
        int mask = task.maskId();
        boolean[] maskable = task.maskable();
        int[][] x = InitialState.of(task, n, rng);
        float[][][] probs = evaluate(model, x);
        double[] value = reward.logReward(predictClean(x, probs, task));
        double eps = schedule.eps();
        long last = System.nanoTime();
        for (int k = 0; k < steps; k++) {
            double t = 1.0 - (1.0 - eps) * k / steps;
            double s = 1.0 - (1.0 - eps) * (k + 1) / steps;
            double unmask = (schedule.alpha(s) - schedule.alpha(t)) / (1.0 - schedule.alpha(t));
            step(model, task, x, probs, value, unmask, rng);
            if (System.nanoTime() - last > 5_000_000_000L) {
                last = System.nanoTime();
                LOG.info("svdd step {}/{} ({} sequences, {} reward calls so far)", k + 1, steps, n, reward.calls());
            }
        }
        for (int i = 0; i < n; i++) {
            fillArgmax(x[i], probs[i], task);
        }
        return x;
    }

    /** One denoising step for every sequence: propose M candidates, value the changed ones, pick one. */
    private void step(Mdm model, Task task, int[][] x, float[][][] probs, double[] value, double unmask, SplittableRandom rng) {
        int n = x.length;
        int mask = task.maskId();
        int vocab = task.vocabSize();
        int[][][] proposals = new int[n][candidates][];
        List<int[]> changed = new ArrayList<>();
        List<int[]> owner = new ArrayList<>(); // {sequence, candidate}
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < candidates; m++) {
                int[] c = x[i].clone();
                boolean moved = false;
                for (int j = 0; j < c.length; j++) {
                    if (c[j] == mask && rng.nextDouble() < unmask) {
                        c[j] = Categorical.sample(probs[i][j], 0, vocab, rng);
                        moved = true;
                    }
                }
                if (moved) {
                    proposals[i][m] = c;
                    changed.add(c);
                    owner.add(new int[] {i, m});
                }
            }
        }
        float[][][][] candProbs = new float[n][candidates][][];
        double[][] candValue = new double[n][candidates];
        if (!changed.isEmpty()) {
            int[][] rows = changed.toArray(new int[0][]);
            float[][][] p = evaluate(model, rows);
            double[] v = reward.logReward(predictClean(rows, p, task));
            for (int r = 0; r < rows.length; r++) {
                int[] o = owner.get(r);
                candProbs[o[0]][o[1]] = p[r];
                candValue[o[0]][o[1]] = v[r];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < candidates; m++) {
                if (proposals[i][m] == null) {
                    candValue[i][m] = value[i];
                }
            }
            int pick = select(candValue[i], rng);
            if (proposals[i][pick] != null) {
                x[i] = proposals[i][pick];
                probs[i] = candProbs[i][pick];
                value[i] = candValue[i][pick];
            }
        }
    }

    private int select(double[] v, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            max = Math.max(max, d);
        }
        if (alpha == 0.0 || max == Double.NEGATIVE_INFINITY) {
            int ties = 0;
            int pick = 0;
            for (int m = 0; m < v.length; m++) {
                if (v[m] == max || max == Double.NEGATIVE_INFINITY) {
                    ties++;
                    if (rng.nextInt(ties) == 0) {
                        pick = m;
                    }
                }
            }
            return pick;
        }
        double total = 0.0;
        double[] w = new double[v.length];
        for (int m = 0; m < v.length; m++) {
            w[m] = Math.exp((v[m] - max) / alpha);
            total += w[m];
        }
        double u = rng.nextDouble() * total;
        double acc = 0.0;
        for (int m = 0; m < v.length; m++) {
            acc += w[m];
            if (u < acc) {
                return m;
            }
        }
        return v.length - 1;
    }

    /** Each sequence with its still-masked positions set to the denoiser's argmax. */
    private static int[][] predictClean(int[][] xs, float[][][] probs, Task task) {
        int[][] out = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i].clone();
            fillArgmax(out[i], probs[i], task);
        }
        return out;
    }

    private static void fillArgmax(int[] seq, float[][] probs, Task task) {
        for (int j = 0; j < seq.length; j++) {
            if (seq[j] == task.maskId()) {
                seq[j] = Categorical.argmax(probs[j], 0, task.vocabSize());
            }
        }
    }

    private float[][][] evaluate(Mdm model, int[][] rows) {
        float[][][] out = new float[rows.length][][];
        for (int from = 0; from < rows.length; from += CHUNK) {
            int to = Math.min(rows.length, from + CHUNK);
            int[][] sub = java.util.Arrays.copyOfRange(rows, from, to);
            float[][][] p = model.probabilities(sub);
            System.arraycopy(p, 0, out, from, p.length);
        }
        rowsEvaluated.addAndGet(rows.length);
        return out;
    }

    /** Reward calls spent so far: one per sequence at the start plus one per candidate that changed. */
    public long rewardCalls() {
        return reward.calls();
    }

    /** Sequences sent through the denoiser so far. */
    public long rowsEvaluated() {
        return rowsEvaluated.get();
    }

    @Override
    public String describe() {
        return "svdd(steps=" + steps + ", M=" + candidates + ", alpha=" + alpha + ", value=log R(argmax-filled x0), final=argmax, eps="
                + schedule.eps() + ", reward=" + reward.name() + ")";
    }
}

package org.ddpp.diffusion;

import java.util.SplittableRandom;
import org.ddpp.diffusion.task.Task;

/**
 * One training batch for the DDPP losses: clean sequences {@code x0} with their log rewards, the times {@code t}
 * and the maskings {@code xt} of {@code x0} at those times. The losses are pure functions of the networks and
 * this record, so the offline and the online trainer feed them identically.
 *
 * @param x0 clean sequences {@code (B, L)}
 * @param xt masked copies of {@code x0} (MASK = vocabulary size)
 * @param t the time each row was masked at
 * @param logReward {@code log R(x0)} per row, already floored
 * @param explore per row: true when {@code x0} came from an exploration source distributed as the pre-trained
 *     model (its samples, or prior data), which the reward-weighted ELBO term of the loss uses (DdppConfig#elboWeight)
 */
public record MaskedBatch(int[][] x0, int[][] xt, double[] t, double[] logReward, boolean[] explore) {

    public MaskedBatch {
        if (x0.length != xt.length || x0.length != t.length || x0.length != logReward.length || x0.length != explore.length) {
            throw new IllegalArgumentException("batch arrays differ in length");
        }
    }

    /** A batch without exploration rows. */
    public MaskedBatch(int[][] x0, int[][] xt, double[] t, double[] logReward) {
        this(x0, xt, t, logReward, new boolean[x0.length]);
    }

    /** Masks {@code x0} at fresh times drawn from {@code schedule}. */
    public static MaskedBatch draw(
            int[][] x0, double[] logReward, Task task, MaskSchedule schedule, SplittableRandom rng) {
        return draw(x0, logReward, new boolean[x0.length], task, schedule, 0.0, rng);
    }

    /**
     * Masks {@code x0} at fresh times drawn from {@code schedule}; with probability {@code singleMaskShare} a row is
     * instead masked at exactly one maskable position chosen uniformly (time {@code 1/|M|}), a state whose DDPP
     * residual a per-position denoiser can make exactly zero.
     */
    public static MaskedBatch draw(int[][] x0, double[] logReward, boolean[] explore, Task task, MaskSchedule schedule,
            double singleMaskShare, SplittableRandom rng) {
        double[] t = schedule.sampleTimes(x0.length, rng);
        int[][] xt = schedule.mask(x0, t, task.maskable(), task.maskId(), rng);
        if (singleMaskShare > 0) {
            boolean[] maskable = task.maskable();
            int[] positions = java.util.stream.IntStream.range(0, maskable.length).filter(i -> maskable[i]).toArray();
            for (int i = 0; i < x0.length && positions.length > 0; i++) {
                if (rng.nextDouble() < singleMaskShare) {
                    xt[i] = x0[i].clone();
                    xt[i][positions[rng.nextInt(positions.length)]] = task.maskId();
                    t[i] = 1.0 / positions.length;
                }
            }
        }
        return new MaskedBatch(x0, xt, t, logReward, explore.clone());
    }

    public int size() {
        return x0.length;
    }
}

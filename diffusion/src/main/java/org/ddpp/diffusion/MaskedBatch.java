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
 */
public record MaskedBatch(int[][] x0, int[][] xt, double[] t, double[] logReward) {

    public MaskedBatch {
        if (x0.length != xt.length || x0.length != t.length || x0.length != logReward.length) {
            throw new IllegalArgumentException("batch arrays differ in length");
        }
    }

    /** Masks {@code x0} at fresh times drawn from {@code schedule}. */
    public static MaskedBatch draw(
            int[][] x0, double[] logReward, Task task, MaskSchedule schedule, SplittableRandom rng) {
        double[] t = schedule.sampleTimes(x0.length, rng);
        int[][] xt = schedule.mask(x0, t, task.maskable(), task.maskId(), rng);
        return new MaskedBatch(x0, xt, t, logReward);
    }

    public int size() {
        return x0.length;
    }
}

package org.ddpp.diffusion.sample;

import java.util.SplittableRandom;
import org.ddpp.diffusion.task.Task;

/**
 * Where every sampler starts: each maskable position is MASK, and each never-masked position (prompt, BOS/EOS)
 * takes its value from a prior draw. The prior is only read when the task has such positions, so a task whose
 * positions are all maskable samples without its data set.
 */
public final class InitialState {

    private InitialState() {}

    /** {@code n} starting sequences; consumes exactly one {@code rng.split()} whatever the task. */
    public static int[][] of(Task task, int n, SplittableRandom rng) {
        SplittableRandom priorRng = rng.split();
        int len = task.length();
        boolean[] maskable = task.maskable();
        boolean needsPrior = false;
        for (boolean m : maskable) {
            needsPrior |= !m;
        }
        int[][] prior = needsPrior ? task.samplePrior(n, priorRng) : null;
        int[][] x = new int[n][len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                x[i][j] = maskable[j] ? task.maskId() : prior[i][j];
            }
        }
        return x;
    }
}

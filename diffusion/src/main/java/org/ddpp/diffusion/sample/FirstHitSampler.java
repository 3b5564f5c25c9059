package org.ddpp.diffusion.sample;

import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;

/**
 * First-hitting sampling: one position per step. At each step a masked position is chosen uniformly at random
 * and its token drawn from {@code mu(xt)}; after as many steps as there are maskable positions the sequence is
 * clean. This is the exact sampler of the MDM's order-agnostic factorisation, and for short sequences its
 * distribution can be enumerated exactly (see {@code ExactTwoTokenDistribution}).
 */
public final class FirstHitSampler implements Sampler {

    @Override
    public int[][] sample(Mdm model, int n, SplittableRandom rng) {
        Task task = model.task();
        int len = task.length();
        int mask = task.maskId();
        boolean[] maskable = task.maskable();
        int[][] x = InitialState.of(task, n, rng);
        int toFill = 0;
        for (int j = 0; j < len; j++) {
            toFill += maskable[j] ? 1 : 0;
        }
        for (int k = 0; k < toFill; k++) {
            float[][][] probs = model.probabilities(x);
            int remaining = toFill - k;
            for (int i = 0; i < n; i++) {
                int pick = rng.nextInt(remaining);
                for (int j = 0; j < len; j++) {
                    if (x[i][j] == mask && pick-- == 0) {
                        x[i][j] = Categorical.sample(probs[i][j], 0, task.vocabSize(), rng);
                        break;
                    }
                }
            }
        }
        return x;
    }

    @Override
    public String describe() {
        return "first-hit(one position per step)";
    }
}

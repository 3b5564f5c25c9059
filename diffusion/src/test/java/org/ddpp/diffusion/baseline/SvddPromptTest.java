package org.ddpp.diffusion.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.TinyModels;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.junit.jupiter.api.Test;

/**
 * SVDD on a task with a never-masked prompt position: the prompt comes from the prior exactly as in the ancestral
 * sampler (same seed, same prompts), is never changed, and a reward on the prompt itself cannot be steered.
 */
class SvddPromptTest {

    @Test
    void promptPositionsAreKeptAndOnlyMaskablePositionsAreSteered() {
        PromptedTask task = new PromptedTask();
        // reward asks for prompt token 4 (unreachable) and last token 4 (reachable)
        RewardFunction reward = xs -> {
            double[] out = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                out[i] = (xs[i][0] == 4 ? 0 : -1) + (xs[i][2] == 4 ? 0 : -1);
            }
            return out;
        };
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm model = Mdm.create(task, TinyModels.SHAPE, 5, root);
            int n = 400;
            int[][] plain = new AncestralSampler(8, true, true, new MaskSchedule()).sample(model, n, new SplittableRandom(21));
            int[][] steered = new SvddSampler(8, 6, 0.0, new MaskSchedule(), reward).sample(model, n, new SplittableRandom(21));
            int[][] prompts = task.samplePrior(n, new SplittableRandom(21).split());
            int lastIsFourPlain = 0;
            int lastIsFourSteered = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(prompts[i][0], steered[i][0], "SVDD changed the prompt of sequence " + i);
                assertEquals(prompts[i][0], plain[i][0], "ancestral sampler changed the prompt of sequence " + i);
                for (int j = 1; j < 3; j++) {
                    assertTrue(steered[i][j] >= 0 && steered[i][j] < 5, "MASK left at " + i + "," + j);
                }
                lastIsFourPlain += plain[i][2] == 4 ? 1 : 0;
                lastIsFourSteered += steered[i][2] == 4 ? 1 : 0;
            }
            assertTrue(lastIsFourSteered > lastIsFourPlain + n / 4,
                    "SVDD should steer the maskable last token: " + lastIsFourSteered + " vs " + lastIsFourPlain + " of " + n);
        }
    }
}

package org.ddpp.tasks;

import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.Task;

/**
 * A task's reward over any sampled sequences: sequences the task rejects ({@link Task#validate}, e.g. a protein
 * with PAD before a residue) get {@code log R = −∞} (R = 0, floored later), the rest the scorer's reward. Offline
 * methods see every sample, so this is their form of the streaming rule that sends invalid candidates to the
 * dead-letter topic instead of the trainer.
 */
public final class ValidatedReward implements RewardFunction {

    private final Task task;
    private final RewardFunction reward;

    public ValidatedReward(Task task, RewardFunction reward) {
        this.task = task;
        this.reward = reward;
    }

    @Override
    public String name() {
        return reward.name() + ", invalid sequences R = 0";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        int[] where = new int[sequences.length];
        int n = 0;
        for (int i = 0; i < sequences.length; i++) {
            if (task.validate(sequences[i]) == null) {
                where[n++] = i;
            }
        }
        if (n == 0) {
            return out;
        }
        int[][] valid = new int[n][];
        for (int j = 0; j < n; j++) {
            valid[j] = sequences[where[j]];
        }
        double[] logR = reward.logReward(valid);
        for (int j = 0; j < n; j++) {
            out[where[j]] = logR[j];
        }
        return out;
    }

}

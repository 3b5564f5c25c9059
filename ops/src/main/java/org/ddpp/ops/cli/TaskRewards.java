package org.ddpp.ops.cli;

import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.Task;

/** The in-process reward each task is fine-tuned toward by the offline commands. */
final class TaskRewards {

    private TaskRewards() {}

    static RewardFunction defaultReward(Task task) {
        if ("grid".equals(task.name())) {
            return new HalfPlaneReward();
        }
        throw new IllegalArgumentException("no built-in reward for task '" + task.name() + "'");
    }
}

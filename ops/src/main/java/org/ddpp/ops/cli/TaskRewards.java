package org.ddpp.ops.cli;

import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.Task;

/** The in-process reward each task is fine-tuned toward by the offline commands. */
final class TaskRewards {

    private TaskRewards() {}

    /**
     * The grid target {@code spec} names ({@code NAME[:k=v,...]}, {@code GridTargets}) on the grid; other tasks have
     * no in-process target here. A spec that is no target is one readable {@link IllegalArgumentException}.
     */
    static RewardFunction reward(Task task, String spec) {
        if ("grid".equals(task.name())) {
            return org.ddpp.diffusion.reward.GridTargets.parse(spec);
        }
        throw new IllegalArgumentException("no built-in reward for task '" + task.name() + "'");
    }

    static RewardFunction defaultReward(Task task) {
        if ("grid".equals(task.name())) {
            return new HalfPlaneReward();
        }
        throw new IllegalArgumentException("no built-in reward for task '" + task.name() + "'");
    }
}

package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.task.Task;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import picocli.CommandLine.Command;

/** {@code ddpp finetune}: steers a pre-trained checkpoint toward the task's reward with DDPP, offline. */
@Command(name = "finetune", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Fine-tune a pre-trained model toward the task's reward (grid: --reward NAME[:k=v]) with DDPP-LB or DDPP-IS (offline loop); writes a checkpoint and prints a JSON summary.")
public final class FineTuneCommand extends RoleCommand {

    public FineTuneCommand() {
        super(OfflineSettings.FINETUNE_COMMAND);
    }

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        Path pretrained = chosen.get(OfflineSettings.PRETRAINED);
        Path out = chosen.get(OfflineSettings.OUT);
        String task = chosen.get(OfflineSettings.TASK);
        Checkpoint source = Checkpoint.open(pretrained);
        Task t = source.task();
        if (!t.name().equals(task)) {
            throw new IllegalArgumentException("--task " + task + " does not match the checkpoint's task " + t.name());
        }
        FineTuneConfig config = FineTuneSettings.config(chosen).build();
        RewardFunction reward = TaskRewards.reward(t, chosen.get(OfflineSettings.REWARD));
        Map<String, Object> summary = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager(device());
                Mdm reference = source.loadPolicy(root);
                OfflineDdppLoop loop = new OfflineDdppLoop(reference, reward, config, root)) {
            double[] before = t instanceof GridTask ? GridEvaluation.exact(reference) : null;
            OfflineDdppLoop.Summary result = loop.run(null);
            Checkpoint.writer(out, t).setPolicy(loop.learner().policy()).optReference(reference)
                    .optLogPartition(loop.learner().logPartition()).optLearner(loop.learner())
                    .optStep(result.steps()).optPolicyVersion(result.steps()).write();
            summary.put("checkpoint", out.toAbsolutePath().toString());
            summary.put("objective", config.ddpp().objective().name().toLowerCase());
            summary.put("reward", chosen.get(OfflineSettings.REWARD));
            summary.put("steps", result.steps());
            summary.put("steps_per_s", result.stepsPerSecond());
            summary.put("final_loss", result.lastLoss());
            if (t instanceof GridTask grid) {
                GridEvaluation eval = new GridEvaluation(grid, new LogRewardFloor(reward, config.logRewardFloor()), reward);
                double[] target = eval.target(before);
                double[] q = GridEvaluation.exact(loop.learner().policy());
                summary.put("tv_pretrained_to_target", Distributions.totalVariation(before, target));
                summary.put("tv_policy_to_target", Distributions.totalVariation(q, target));
                summary.put("kl_target_to_policy", Distributions.kl(target, q));
                summary.put("mass_where_reward_zero", eval.massWhereRewardZero(q));
                summary.put("log_z_full_mask_exact", eval.logPartition(before));
                if (config.ddpp().objective() == org.ddpp.diffusion.train.Objective.LB) {
                    summary.put("log_z_full_mask_learned", result.logZAtFullMask());
                }
            }
        }
        printJson(summary);
        return 0;
    }
}

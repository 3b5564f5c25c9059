package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.task.Task;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ddpp finetune}: steers a pre-trained checkpoint toward the task's reward (grid: --reward NAME[:k=v]) with DDPP, offline. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a pre-trained model toward the task's reward (grid: --reward NAME[:k=v]) with DDPP-LB or DDPP-IS (offline loop); writes a checkpoint and prints a JSON summary.")
public final class FineTuneCommand implements Callable<Integer> {

    @Option(names = "--task", defaultValue = "grid", description = "Task; must match the pre-trained checkpoint (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--pretrained", required = true, description = "Checkpoint directory written by 'ddpp pretrain'.")
    Path pretrained;

    @Option(names = "--out", required = true, description = "Checkpoint directory to write.")
    Path out;

    @Mixin FineTuneOptions options;

    @Mixin GridTargetOption reward;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws Exception {
        Checkpoint source = Checkpoint.open(pretrained);
        Task t = source.task();
        if (!t.name().equals(task)) {
            throw new IllegalArgumentException("--task " + task + " does not match the checkpoint's task " + t.name());
        }
        FineTuneConfig config = options.toBuilder(2000).build();
        RewardFunction reward = TaskRewards.reward(t, this.reward);
        Map<String, Object> summary = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager();
                Mdm reference = source.loadPolicy(root);
                OfflineDdppLoop loop = new OfflineDdppLoop(reference, reward, config, root)) {
            double[] before = t instanceof GridTask ? GridEvaluation.exact(reference) : null;
            OfflineDdppLoop.Summary result = loop.run(null);
            Checkpoint.writer(out, t).setPolicy(loop.learner().policy()).optReference(reference)
                    .optLogPartition(loop.learner().logPartition()).optLearner(loop.learner())
                    .optStep(result.steps()).optPolicyVersion(result.steps()).write();
            summary.put("checkpoint", out.toAbsolutePath().toString());
            summary.put("objective", config.ddpp().objective().name().toLowerCase());
            summary.put("reward", this.reward.spec());
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
        out().println(Json.line(summary));
        out().flush();
        return 0;
    }
}

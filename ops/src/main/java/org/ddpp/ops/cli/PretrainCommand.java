package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.Tasks;
import org.ddpp.diffusion.train.MdlmPretrainer;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import picocli.CommandLine.Command;

/** {@code ddpp pretrain}: trains a masked diffusion model on a task's prior data and writes a checkpoint. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Pre-train a masked diffusion model (MDLM ELBO) on a task's prior data; writes a checkpoint and prints a JSON summary.")
public final class PretrainCommand extends RoleCommand {

    public PretrainCommand() {
        super(OfflineSettings.PRETRAIN_COMMAND);
    }

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        Path out = chosen.get(OfflineSettings.OUT);
        Task t = Tasks.byName(chosen.get(OfflineSettings.TASK));
        int steps = chosen.get(OfflineSettings.PRETRAIN_OPTIMISER_STEPS);
        long seed = chosen.get(OfflineSettings.PRETRAIN_SEED);
        PretrainConfig config = new PretrainConfig(OfflineSettings.shape(chosen), steps,
                chosen.get(OfflineSettings.PRETRAIN_BATCH_SIZE), chosen.get(OfflineSettings.PRETRAIN_LR), 1.0, seed);
        Map<String, Object> summary = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager(device())) {
            Pretraining.Result result = Pretraining.run(t, config, root);
            Checkpoint.writer(out, t).setPolicy(result.model()).optPolicyOptimizer(result.trainer().optimizer())
                    .optStep(steps).optPolicyVersion(0).write();
            summary.put("checkpoint", out.toAbsolutePath().toString());
            summary.put("task", t.name());
            summary.put("steps", steps);
            summary.put("final_loss", result.finalLoss());
            summary.put("bits_per_dim", MdlmPretrainer.bitsPerDimension(result.model(), new MaskSchedule(),
                    t.samplePrior(2048, new SplittableRandom(seed + 1)), 4, new SplittableRandom(seed + 2)));
            summary.put("steps_per_s", result.stepsPerSecond());
            if (t instanceof GridTask grid) {
                GridEvaluation eval = new GridEvaluation(grid, TaskRewards.defaultReward(grid), TaskRewards.defaultReward(grid));
                summary.put("tv_to_prior", eval.tvToPrior(GridEvaluation.exact(result.model())));
            }
            result.trainer().close();
            result.model().close();
        }
        printJson(summary);
        return 0;
    }
}

package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.train.Objective;
import org.ddpp.ops.demo.PretrainedCache;
import org.ddpp.ops.tasks.TaskProfiles;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.tasks.TaskBenchmark;
import org.ddpp.trainer.tasks.TaskProfile;

/**
 * {@code ddpp bench <task>} for a task with a {@link TaskProfile}: the pre-trained model (from the cache, or
 * pre-trained first), best-of-N, SVDD and DDPP fine-tuning compared on the task's reward and quality figures; one
 * JSON object on stdout and {@code <report-dir>/<task>.md} with the task's pictures. Settings not given on the
 * command line are the profile's.
 */
public abstract class TaskBenchCommand extends RoleCommand {

    private final String task;

    protected TaskBenchCommand(String task) {
        super(OfflineSettings.BENCH_TASK_COMMAND);
        this.task = task;
    }

    @Override
    public Integer call() throws Exception {
        // loss options not given stay unset, so the profile's stand (LossSettings.applyGiven below)
        Settings chosen = chosenLeavingUnset(org.ddpp.trainer.learner.LossSettings.ALL);
        Path cacheDir = chosen.get(OfflineSettings.CACHE_DIR);
        Path cache = cacheDir != null ? cacheDir : PretrainedCache.defaultDirectory();
        long wallStart = System.nanoTime();
        try (TaskProfile profile = TaskProfiles.create(task, cache); NDManager root = NDManager.newBaseManager(device())) {
            PretrainConfig pre = profile.pretrain();
            Integer pretrainSteps = chosen.get(OfflineSettings.PRETRAIN_STEPS);
            if (pretrainSteps != null) {
                pre = pre.withSteps(pretrainSteps);
            }
            Long seed = chosen.get(OfflineSettings.TASK_SEED);
            if (seed != null) {
                pre = pre.withSeed(seed);
            }
            FineTuneConfig.Builder ft = profile.fineTune();
            Integer steps = chosen.get(OfflineSettings.TASK_STEPS);
            if (steps != null) {
                ft.opt(FineTuneSettings.STEPS, steps);
            }
            Long finetuneSeed = chosen.get(OfflineSettings.TASK_FINETUNE_SEED);
            if (finetuneSeed != null) {
                ft.opt(FineTuneSettings.SEED, finetuneSeed);
            }
            Double lr = chosen.get(OfflineSettings.TASK_LR);
            if (lr != null) {
                ft.optDdpp(ft.build().ddpp().toBuilder().optPolicyLearningRate(lr).build());
            }
            // the loss options given on the command line (docs/fidelity.md); the others stay the profile's
            ft.optDdpp(org.ddpp.trainer.learner.LossSettings.applyGiven(chosen, ft.build().ddpp().toBuilder()).build());
            FineTuneConfig finetune = ft.build();
            long preStart = System.nanoTime();
            Path checkpoint = new PretrainedCache(cache).ensure(profile.task(), pre);
            double preSeconds = (System.nanoTime() - preStart) / 1e9;
            try (Mdm reference = Checkpoint.open(checkpoint).loadPolicy(root)) {
                TaskBenchmark bench = new TaskBenchmark(profile, new TaskBenchmark.Settings(chosen.get(OfflineSettings.TASK_SAMPLES),
                        chosen.get(OfflineSettings.BEST_OF), chosen.get(OfflineSettings.SVDD_CANDIDATES),
                        chosen.get(OfflineSettings.SVDD_ALPHA), chosen.get(OfflineSettings.HAMMING_SUBSAMPLE),
                        chosen.get(OfflineSettings.SAMPLE_SEED), chosen.get(OfflineSettings.REPORT_DIR),
                        chosen.get(OfflineSettings.WITH_IS) ? List.of(Objective.IS) : List.of()));
                Map<String, Object> result = new LinkedHashMap<>(bench.run(reference, finetune, root));
                result.put("residual", finetune.ddpp().residual().name().toLowerCase(java.util.Locale.ROOT));
                result.put("pretrained_checkpoint", checkpoint.toString());
                result.put("pretrain", Map.of("d_model", pre.shape().dModel(), "layers", pre.shape().layers(),
                        "steps", pre.steps(), "batch_size", pre.batchSize(), "seed", pre.seed()));
                result.put("pretrain_or_load_s", preSeconds);
                result.put("total_wall_s", (System.nanoTime() - wallStart) / 1e9);
                printJson(result);
            }
        }
        return 0;
    }
}

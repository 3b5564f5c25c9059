package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.train.Objective;
import org.ddpp.ops.demo.PretrainedCache;
import org.ddpp.ops.tasks.TaskProfiles;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.tasks.TaskBenchmark;
import org.ddpp.trainer.tasks.TaskProfile;
import picocli.CommandLine.Option;

/**
 * {@code ddpp bench <task>} for a task with a {@link TaskProfile}: the pre-trained model (from the cache, or
 * pre-trained first), best-of-N, SVDD and DDPP fine-tuning compared on the task's reward and quality figures; one
 * JSON object on stdout and {@code <report-dir>/<task>.md} with the task's pictures. Settings not given on the
 * command line are the profile's.
 */
public abstract class TaskBenchCommand implements Callable<Integer> {

    private final String task;

    @Option(names = "--samples", defaultValue = "512", description = "Samples K drawn per method (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--best-of", defaultValue = "10", description = "N of best-of-N (default: ${DEFAULT-VALUE}).")
    int bestOf;

    @Option(names = "--svdd-candidates", defaultValue = "8", description = "M of SVDD, proposals per sequence and step; 0 skips SVDD (default: ${DEFAULT-VALUE}).")
    int svddCandidates;

    @Option(names = "--svdd-alpha", defaultValue = "0", description = "SVDD selection temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    double svddAlpha;

    @Option(names = "--steps", description = "DDPP fine-tuning steps (default: the task's).")
    Integer steps;

    @Option(names = "--lr", description = "Policy learning rate (default: the task's).")
    Double lr;

    @Option(names = "--pretrain-steps", description = "Pre-training steps when the model is not cached (default: the task's).")
    Integer pretrainSteps;

    @Option(names = "--seed", description = "Pre-training seed (default: the task's).")
    Long seed;

    @Option(names = "--finetune-seed", description = "Seed of fine-tuning (default: the task's).")
    Long finetuneSeed;

    @Option(names = "--sample-seed", defaultValue = "13", description = "Seed of every method's sampling (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(names = "--with-is", description = "Also fine-tune with DDPP-IS (16 reward calls per training sample).")
    boolean withIs;

    @Option(names = "--hamming-subsample", defaultValue = "500", description = "Samples whose pairs enter the mean Hamming distance (default: ${DEFAULT-VALUE}).")
    int hammingSubsample;

    @Option(names = "--report-dir", defaultValue = "reports", description = "Where <task>.md and its pictures go (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--cache-dir", description = "Cache of data and pre-trained models (default: $DDPP_CACHE or ~/.cache/ddpp).")
    Path cacheDir;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    protected TaskBenchCommand(String task) {
        this.task = task;
    }

    @Override
    public Integer call() throws Exception {
        Path cache = cacheDir != null ? cacheDir : PretrainedCache.defaultDirectory();
        long wallStart = System.nanoTime();
        try (TaskProfile profile = TaskProfiles.create(task, cache); NDManager root = NDManager.newBaseManager()) {
            PretrainConfig pre = profile.pretrain();
            if (pretrainSteps != null) {
                pre = pre.withSteps(pretrainSteps);
            }
            if (seed != null) {
                pre = pre.withSeed(seed);
            }
            FineTuneConfig.Builder ft = profile.fineTune();
            if (steps != null) {
                ft.optSteps(steps);
            }
            if (finetuneSeed != null) {
                ft.optSeed(finetuneSeed);
            }
            if (lr != null) {
                ft.optDdpp(ft.build().ddpp().toBuilder().optPolicyLearningRate(lr).build());
            }
            FineTuneConfig finetune = ft.build();
            long preStart = System.nanoTime();
            Path checkpoint = new PretrainedCache(cache).ensure(profile.task(), pre);
            double preSeconds = (System.nanoTime() - preStart) / 1e9;
            try (Mdm reference = Checkpoint.open(checkpoint).loadPolicy(root)) {
                TaskBenchmark bench = new TaskBenchmark(profile, new TaskBenchmark.Settings(samples, bestOf, svddCandidates,
                        svddAlpha, hammingSubsample, sampleSeed, reportDir, withIs ? List.of(Objective.IS) : List.of()));
                Map<String, Object> result = new LinkedHashMap<>(bench.run(reference, finetune, root));
                result.put("pretrained_checkpoint", checkpoint.toString());
                result.put("pretrain", Map.of("d_model", pre.shape().dModel(), "layers", pre.shape().layers(),
                        "steps", pre.steps(), "batch_size", pre.batchSize(), "seed", pre.seed()));
                result.put("pretrain_or_load_s", preSeconds);
                result.put("total_wall_s", (System.nanoTime() - wallStart) / 1e9);
                spec.commandLine().getOut().println(Json.line(result));
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }
}

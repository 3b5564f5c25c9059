package org.ddpp.trainer.tasks;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.train.Objective;
import org.ddpp.trainer.offline.BaselineReport;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.MethodComparison;
import org.ddpp.trainer.offline.MethodResult;

/**
 * The paper's method comparison on any task with a {@link TaskProfile}: the pre-trained model, best-of-N and SVDD
 * (inference-time methods that pay reward calls per sample) and DDPP fine-tuning (pays them once, in training),
 * all measured alike — mean log R, the task's quality figures, diversity, reward calls, wall time — and written as
 * one JSON object plus a markdown report with the task's pictures. {@code ddpp bench <task>} runs it.
 */
public final class TaskBenchmark {

    /**
     * @param samples K, samples drawn per method
     * @param bestOfN N of best-of-N
     * @param svddCandidates M, SVDD proposals per step; 0 skips SVDD
     * @param svddAlpha SVDD selection temperature (0 = greedy)
     * @param hammingSubsample samples whose pairs enter the mean Hamming distance
     * @param sampleSeed seed of every method's sampling
     * @param reportDir where {@code <task>.md} and the pictures go; null = no report
     * @param extraObjectives DDPP objectives run besides the fine-tune's own (e.g. IS next to LB)
     */
    public record Settings(int samples, int bestOfN, int svddCandidates, double svddAlpha, int hammingSubsample,
            long sampleSeed, Path reportDir, List<Objective> extraObjectives) {

        public Settings {
            if (samples < 1 || bestOfN < 1 || svddCandidates < 0 || hammingSubsample < 2) {
                throw new IllegalArgumentException("samples and best-of must be >= 1, SVDD candidates >= 0, Hamming subsample >= 2");
            }
            extraObjectives = List.copyOf(extraObjectives);
        }
    }

    private final TaskProfile profile;
    private final Settings settings;

    public TaskBenchmark(TaskProfile profile, Settings settings) {
        this.profile = profile;
        this.settings = settings;
    }

    /**
     * Runs every method from {@code reference} (the pre-trained model) with fine-tuning {@code finetune}; the map
     * is the JSON object the command prints.
     */
    public Map<String, Object> run(Mdm reference, FineTuneConfig finetune, NDManager root) throws IOException {
        long wallStart = System.nanoTime();
        String task = profile.task().name();
        MethodComparison methods = new MethodComparison(new MethodComparison.Settings(settings.samples(), settings.bestOfN(),
                settings.svddCandidates(), settings.svddAlpha(), finetune.samplerSteps(), settings.hammingSubsample(),
                settings.sampleSeed()), profile.reward(), finetune.logRewardFloor(), profile.asQuality());
        List<MethodComparison.Outcome> outcomes = new ArrayList<>();
        outcomes.add(methods.pretrained(reference));
        outcomes.add(methods.bestOfN(reference));
        if (settings.svddCandidates() > 0) {
            outcomes.add(methods.svdd(reference));
        }
        outcomes.add(methods.ddpp(reference, finetune, root));
        for (Objective extra : settings.extraObjectives()) {
            if (extra != finetune.ddpp().objective()) {
                outcomes.add(methods.ddpp(reference, finetune.withObjective(extra), root));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task);
        out.put("reward", profile.rewardSpec() + " (" + profile.reward().name() + "), log R floored at " + finetune.logRewardFloor());
        out.put("samples_per_method", settings.samples());
        Map<String, Object> byMethod = new LinkedHashMap<>();
        for (MethodComparison.Outcome o : outcomes) {
            byMethod.put(o.result().method(), o.result().toMap());
        }
        out.put("methods", byMethod);
        out.put("finetune_steps", finetune.steps());
        out.put("finetune_batch_size", finetune.batchSize());
        out.put("policy_lr", finetune.ddpp().policyLearningRate());
        out.put("sampler_steps", finetune.samplerSteps());
        out.put("best_of_n", settings.bestOfN());
        out.put("svdd_candidates", settings.svddCandidates());
        out.put("svdd_alpha", settings.svddAlpha());
        out.put("finetune_seed", finetune.seed());
        out.put("sample_seed", settings.sampleSeed());
        out.put("wall_s", (System.nanoTime() - wallStart) / 1e9);
        if (settings.reportDir() != null) {
            Files.createDirectories(settings.reportDir());
            List<Path> pictures = profile.pictures(settings.reportDir(), outcomes);
            List<MethodResult> results = outcomes.stream().map(MethodComparison.Outcome::result).toList();
            Path md = settings.reportDir().resolve(task + ".md");
            String paper = profile.paperReference();
            String notes = "Quality figures are the task's own (see its profile). "
                    + (paper.isBlank() ? "" : "\n\n## The paper's numbers\n\n" + paper + "\n\n");
            Files.writeString(md, BaselineReport.markdown(task, out, results,
                    pictures.stream().map(p -> p.getFileName().toString()).toList(), notes));
            out.put("report", md.toString());
            out.put("pictures", pictures.stream().map(Path::toString).toList());
        }
        return out;
    }
}

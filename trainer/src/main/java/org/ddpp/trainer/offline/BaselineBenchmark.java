package org.ddpp.trainer.offline;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.GridTargets;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.train.Objective;

/**
 * The paper's method comparison on the grid: the pre-trained model, best-of-N and SVDD (inference-time methods
 * that spend reward calls per sample) and DDPP-LB or -IS (spends reward calls once, in training), run by
 * {@link MethodComparison} and measured with the grid's exact figures — share with R &gt; 0, TV of the samples'
 * histogram to the exact target {@code π ∝ p_pre·R}, and exact TV where a model's distribution can be enumerated.
 */
public final class BaselineBenchmark {

    private static final int SIDE = 128;
    private static final int BLOCK = 32;

    /**
     * @param samples K, samples drawn per method
     * @param bestOfN N of best-of-N
     * @param svddCandidates M, SVDD proposals per step
     * @param svddAlpha SVDD selection temperature (0 = greedy)
     * @param hammingSubsample samples whose pairs enter the mean Hamming distance
     * @param sampleSeed seed of every method's sampling
     * @param reportDir where the markdown report and PNG go; null = none
     * @param extraObjectives DDPP objectives run besides {@code finetune}'s own, with the same settings (e.g. IS next to LB)
     * @param reward the grid target, a {@link GridTargets} spec (default {@code half-plane})
     */
    public record Settings(PretrainConfig pretrain, FineTuneConfig finetune, int samples, int bestOfN, int svddCandidates,
            double svddAlpha, int hammingSubsample, long sampleSeed, Path reportDir, List<Objective> extraObjectives,
            String reward) {

        /** K = 2000, N = 10, M = 8, greedy SVDD, Hamming over 500 samples, DDPP-LB only, reports under {@code reports/}. */
        public static Settings defaults() {
            return new Settings(PretrainConfig.defaults(), FineTuneConfig.builder().build(), 2000, 10, 8, 0.0, 500, 13L,
                    Path.of("reports"), List.of(), "half-plane");
        }
    }

    private final Settings settings;

    public BaselineBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs every method; the map is the JSON object the command prints. */
    public Map<String, Object> run() throws IOException {
        long wallStart = System.nanoTime();
        GridTask task = new GridTask();
        RewardFunction raw = GridTargets.parse(settings.reward());
        double floor = settings.finetune().logRewardFloor();
        GridEvaluation eval = new GridEvaluation(task, new LogRewardFloor(raw, floor), raw);
        int k = settings.samples();
        List<MethodComparison.Outcome> outcomes = new ArrayList<>();
        List<GridHistogramPicture.Panel> panels = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, settings.pretrain(), root);
            Mdm reference = pre.model();
            double[] pPre = GridEvaluation.exact(reference);
            double[] target = eval.target(pPre);
            double[] targetSquares = squares(target);
            MethodComparison.Quality quality = (xs, model) -> {
                double[] hist = Distributions.histogram(xs, SIDE);
                Map<String, Double> q = new LinkedHashMap<>();
                long positive = java.util.Arrays.stream(raw.logReward(xs)).filter(v -> v > Double.NEGATIVE_INFINITY).count();
                q.put("fraction_r_positive", positive / (double) xs.length);
                q.put("tv_hist_to_target", Distributions.totalVariation(hist, target));
                q.put("tv_squares_to_target", Distributions.totalVariation(squares(hist), targetSquares));
                q.put("tv_exact_to_target", model == null ? Double.NaN
                        : Distributions.totalVariation(GridEvaluation.exact(model), target));
                return q;
            };
            MethodComparison methods = new MethodComparison(new MethodComparison.Settings(k, settings.bestOfN(),
                    settings.svddCandidates(), settings.svddAlpha(), settings.finetune().samplerSteps(),
                    settings.hammingSubsample(), settings.sampleSeed()), raw, floor, quality);
            panels.add(new GridHistogramPicture.Panel("target p_pre·R", target));
            outcomes.add(methods.pretrained(reference));
            outcomes.add(methods.bestOfN(reference));
            outcomes.add(methods.svdd(reference));
            outcomes.add(methods.ddpp(reference, settings.finetune(), root));
            for (Objective extra : settings.extraObjectives()) {
                if (extra != settings.finetune().ddpp().objective()) {
                    outcomes.add(methods.ddpp(reference, settings.finetune().withObjective(extra), root));
                }
            }
            for (MethodComparison.Outcome o : outcomes) {
                panels.add(new GridHistogramPicture.Panel(o.result().method(), Distributions.histogram(o.samples(), SIDE)));
            }
            out.put("task", "grid");
            out.put("reward", settings.reward() + ", log R floored at " + floor);
            out.put("samples_per_method", k);
            Map<String, Object> byMethod = new LinkedHashMap<>();
            for (MethodComparison.Outcome o : outcomes) {
                byMethod.put(o.result().method(), o.result().toMap());
            }
            out.put("methods", byMethod);
            out.put("tv_hist_noise_floor", noiseFloor(target, k));
            out.put("fraction_r_positive_target", 1.0 - eval.massWhereRewardZero(target));
            out.put("tv_pretrained_to_prior", eval.tvToPrior(pPre));
            out.put("pretrain_steps", settings.pretrain().steps());
            out.put("finetune_steps", settings.finetune().steps());
            out.put("best_of_n", settings.bestOfN());
            out.put("svdd_candidates", settings.svddCandidates());
            out.put("svdd_alpha", settings.svddAlpha());
            out.put("hamming_subsample", settings.hammingSubsample());
            out.put("seed", settings.pretrain().seed());
            out.put("finetune_seed", settings.finetune().seed());
            out.put("sample_seed", settings.sampleSeed());
            pre.trainer().close();
            reference.close();
        }
        out.put("wall_s", (System.nanoTime() - wallStart) / 1e9);
        if (settings.reportDir() != null) {
            Files.createDirectories(settings.reportDir());
            Path png = settings.reportDir().resolve("baselines-grid.png");
            GridHistogramPicture.write(png, SIDE, panels);
            Path md = settings.reportDir().resolve("baselines-grid.md");
            List<MethodResult> results = outcomes.stream().map(MethodComparison.Outcome::result).toList();
            Files.writeString(md, BaselineReport.markdown("grid", out, results, List.of(png.getFileName().toString()), GRID_NOTES));
            out.put("report", md.toString());
            out.put("picture", png.toString());
        }
        return out;
    }

    private static final String GRID_NOTES = "fraction_r_positive is the grid's quality metric. tv_hist_to_target: TV of the "
            + "128×128 sample histogram to the exact target; K exact draws from the target give tv_hist_noise_floor. "
            + "tv_squares_to_target: the same over the 4×4 layout of 32×32 blocks (one prior square each). "
            + "tv_exact_to_target: of the model's exactly enumerated first-hit distribution (plain sampling of a model only).";

    /** A 128×128 table summed over 32×32 blocks: the 4×4 layout, one prior square per block. */
    static double[] squares(double[] table) {
        int n = SIDE / BLOCK;
        double[] out = new double[n * n];
        for (int a = 0; a < SIDE; a++) {
            for (int b = 0; b < SIDE; b++) {
                out[(a / BLOCK) * n + b / BLOCK] += table[a * SIDE + b];
            }
        }
        return out;
    }

    /** TV of the histogram of K exact draws from the target itself: what {@code tv_hist_to_target} is at best. */
    private double noiseFloor(double[] target, int k) {
        SplittableRandom rng = new SplittableRandom(settings.sampleSeed() + 1);
        double[] cdf = new double[target.length];
        double acc = 0;
        for (int i = 0; i < target.length; i++) {
            acc += target[i];
            cdf[i] = acc;
        }
        int[][] xs = new int[k][];
        for (int s = 0; s < k; s++) {
            double u = rng.nextDouble() * acc;
            int i = java.util.Arrays.binarySearch(cdf, u);
            i = i >= 0 ? i : Math.min(-i - 1, target.length - 1);
            xs[s] = new int[] {i / SIDE, i % SIDE};
        }
        return Distributions.totalVariation(Distributions.histogram(xs, SIDE), target);
    }
}

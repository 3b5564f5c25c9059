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
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.baseline.BestOfN;
import org.ddpp.diffusion.baseline.CountingReward;
import org.ddpp.diffusion.baseline.Diversity;
import org.ddpp.diffusion.baseline.SvddSampler;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.sample.Sampler;
import org.ddpp.diffusion.task.GridTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's method comparison on the grid: the pre-trained model, best-of-N and SVDD (inference-time methods
 * that spend reward calls per sample) and DDPP-LB or -IS (spends reward calls once, in training), each drawing K samples
 * that are measured the same way — mean log R, share with R &gt; 0, TV of their histogram to the exact target
 * {@code π ∝ p_pre·R}, diversity, reward calls and wall time.
 */
public final class BaselineBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(BaselineBenchmark.class);
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
     */
    public record Settings(PretrainConfig pretrain, FineTuneConfig finetune, int samples, int bestOfN, int svddCandidates,
            double svddAlpha, int hammingSubsample, long sampleSeed, Path reportDir) {

        /** K = 2000, N = 10, M = 8, greedy SVDD, Hamming over 500 samples, reports under {@code reports/}. */
        public static Settings defaults() {
            return new Settings(PretrainConfig.defaults(), FineTuneConfig.builder().build(), 2000, 10, 8, 0.0, 500, 13L,
                    Path.of("reports"));
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
        HalfPlaneReward raw = new HalfPlaneReward();
        LogRewardFloor floored = new LogRewardFloor(raw, settings.finetune().logRewardFloor());
        GridEvaluation eval = new GridEvaluation(task, floored, raw);
        MaskSchedule schedule = new MaskSchedule();
        int steps = settings.finetune().samplerSteps();
        int k = settings.samples();
        List<MethodResult> results = new ArrayList<>();
        List<GridHistogramPicture.Panel> panels = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, settings.pretrain(), root);
            Mdm reference = pre.model();
            double[] pPre = GridEvaluation.exact(reference);
            double[] target = eval.target(pPre);
            panels.add(new GridHistogramPicture.Panel("target p_pre·R", target));
            Measure measure = new Measure(target, raw, floored);

            AncestralSampler ancestral = new AncestralSampler(steps, true, true, schedule);
            long t0 = System.nanoTime();
            int[][] xs = ancestral.sample(reference, k, new SplittableRandom(settings.sampleSeed()));
            results.add(measure.of("pretrained", ancestral.describe(), xs, Distributions.totalVariation(pPre, target), 0, t0));
            panels.add(new GridHistogramPicture.Panel("pre-trained", Distributions.histogram(xs, SIDE)));
            log(results);

            BestOfN best = new BestOfN(ancestral, settings.bestOfN(), floored);
            t0 = System.nanoTime();
            xs = best.sample(reference, k, new SplittableRandom(settings.sampleSeed()));
            results.add(measure.of("best_of_n", best.describe(), xs, Double.NaN, best.rewardCalls(), t0));
            panels.add(new GridHistogramPicture.Panel("best-of-" + settings.bestOfN(), Distributions.histogram(xs, SIDE)));
            log(results);

            SvddSampler svdd = new SvddSampler(steps, settings.svddCandidates(), settings.svddAlpha(), schedule, floored);
            t0 = System.nanoTime();
            xs = svdd.sample(reference, k, new SplittableRandom(settings.sampleSeed()));
            results.add(measure.of("svdd", svdd.describe(), xs, Double.NaN, svdd.rewardCalls(), t0));
            panels.add(new GridHistogramPicture.Panel("SVDD M=" + settings.svddCandidates(), Distributions.histogram(xs, SIDE)));
            log(results);

            CountingReward counted = new CountingReward(raw);
            t0 = System.nanoTime();
            try (OfflineDdppLoop loop = new OfflineDdppLoop(reference, counted, settings.finetune(), root)) {
                OfflineDdppLoop.Summary summary = loop.run(null);
                Mdm policy = loop.learner().policy();
                xs = ancestral.sample(policy, k, new SplittableRandom(settings.sampleSeed()));
                double tvExact = Distributions.totalVariation(GridEvaluation.exact(policy), target);
                String objective = settings.finetune().ddpp().objective().name();
                results.add(measure.of("ddpp_" + objective.toLowerCase(), ancestral.describe() + " after " + summary.steps()
                        + " DDPP-" + objective + " steps", xs, tvExact, counted.calls(), t0));
                panels.add(new GridHistogramPicture.Panel("DDPP-" + objective, Distributions.histogram(xs, SIDE)));
                log(results);
            }
            out.put("task", "grid");
            out.put("reward", "R = 1[x1 >= 64], log R floored at " + settings.finetune().logRewardFloor());
            out.put("samples_per_method", k);
            Map<String, Object> methods = new LinkedHashMap<>();
            for (MethodResult r : results) {
                methods.put(r.method(), r.toMap());
            }
            out.put("methods", methods);
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
            Files.writeString(md, BaselineReport.markdown(out, results, png.getFileName().toString()));
            out.put("report", md.toString());
            out.put("picture", png.toString());
        }
        return out;
    }

    /** Measures K samples of one method against the target. */
    private final class Measure {
        private final double[] target;
        private final double[] targetSquares;
        private final HalfPlaneReward raw;
        private final LogRewardFloor floored;

        Measure(double[] target, HalfPlaneReward raw, LogRewardFloor floored) {
            this.target = target;
            this.targetSquares = squares(target);
            this.raw = raw;
            this.floored = floored;
        }

        MethodResult of(String method, String sampler, int[][] xs, double tvExact, long rewardCalls, long startNanos) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            // measuring is not a method's cost: these reward evaluations are not counted
            double[] rawLogR = raw.logReward(xs);
            double sum = 0;
            int positive = 0;
            for (double v : rawLogR) {
                sum += floored.apply(v);
                positive += v == Double.NEGATIVE_INFINITY ? 0 : 1;
            }
            double[] hist = Distributions.histogram(xs, SIDE);
            return new MethodResult(method, sampler, xs.length, sum / xs.length, positive / (double) xs.length,
                    Distributions.totalVariation(hist, target), Distributions.totalVariation(squares(hist), targetSquares),
                    tvExact, Diversity.distinctFraction(xs), Diversity.meanPairwiseHamming(xs, settings.hammingSubsample()),
                    rewardCalls, seconds);
        }
    }

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

    private static void log(List<MethodResult> results) {
        MethodResult r = results.get(results.size() - 1);
        LOG.info("{}: mean log R {}, R>0 {}, TV squares {}, distinct {}, reward calls {}, {} s", r.method(),
                String.format("%.3f", r.meanLogReward()), String.format("%.3f", r.fractionRewardPositive()),
                String.format("%.3f", r.tvHistogramSquares()), String.format("%.3f", r.distinctFraction()), r.rewardCalls(),
                String.format("%.1f", r.seconds()));
    }
}

package org.ddpp.trainer.offline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.GridTargets;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.train.MdlmPretrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid benchmark: pre-train on the 16-square prior, fine-tune toward a grid target ({@link GridTargets}; the
 * paper's {@code R = 1[x¹ ≥ 64]} by default, or every target of the suite in one run) with DDPP, and measure
 * everything exactly (TV and KL to the true posterior {@code π ∝ p_model·R}, mass where R = 0, TV of the
 * pre-trained model to the prior) together with training and sampling speed.
 */
public final class GridBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(GridBenchmark.class);

    private final PretrainConfig pretrain;
    private final FineTuneConfig finetune;
    private final int evalEvery;
    private final int speedSamples;

    /**
     * @param evalEvery exact evaluation every this many fine-tune steps for the TV curve (0 = only at the end)
     * @param speedSamples sequences drawn for each sampling-speed figure
     */
    public GridBenchmark(PretrainConfig pretrain, FineTuneConfig finetune, int evalEvery, int speedSamples) {
        this.pretrain = pretrain;
        this.finetune = finetune;
        this.evalEvery = evalEvery;
        this.speedSamples = speedSamples;
    }

    /** Runs the benchmark toward the half-plane; the map is the JSON object {@code ddpp bench grid} prints. */
    public Map<String, Object> run() {
        return run("half-plane");
    }

    /**
     * Pre-trains once, then fine-tunes toward every target of {@code specs} from the same pre-trained model; the
     * map is {@code {"targets": {name: exact figures}, …}}.
     */
    public Map<String, Object> runSuite(List<String> specs) {
        GridTask task = new GridTask();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> targets = new LinkedHashMap<>();
        long wallStart = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, pretrain, root);
            Mdm reference = pre.model();
            double[] pPre = GridEvaluation.exact(reference);
            out.put("tv_pretrained_to_prior", new GridEvaluation(task, new HalfPlaneReward(), new HalfPlaneReward()).tvToPrior(pPre));
            for (String spec : specs) {
                RewardFunction raw = GridTargets.parse(spec);
                GridEvaluation eval = new GridEvaluation(task, new LogRewardFloor(raw, finetune.logRewardFloor()), raw);
                double[] target = eval.target(pPre);
                long start = System.nanoTime();
                Map<String, Object> figures = new LinkedHashMap<>();
                try (OfflineDdppLoop loop = new OfflineDdppLoop(reference, raw, finetune, root)) {
                    List<double[]> curve = new ArrayList<>();
                    OfflineDdppLoop.Summary summary = loop.run(step -> {
                        if (evalEvery > 0 && step % evalEvery == 0 && step < finetune.steps()) {
                            curve.add(new double[] {step, Distributions.totalVariation(GridEvaluation.exact(loop.learner().policy()), target)});
                        }
                    });
                    double[] q = GridEvaluation.exact(loop.learner().policy());
                    curve.add(new double[] {summary.steps(), Distributions.totalVariation(q, target)});
                    figures.put("tv_pretrained_to_target", Distributions.totalVariation(pPre, target));
                    figures.put("tv_policy_to_target", Distributions.totalVariation(q, target));
                    figures.put("kl_target_to_policy", Distributions.kl(target, q));
                    figures.put("mass_where_reward_zero", eval.massWhereRewardZero(q));
                    figures.put("tv_full_mask_marginals", GridEvaluation.tvFullMaskMarginals(loop.learner().policy(), target));
                    figures.put("tv_one_mask_conditionals", GridEvaluation.tvOneMaskConditionals(loop.learner().policy(), target));
                    if (finetune.ddpp().objective() == org.ddpp.diffusion.train.Objective.LB) {
                        figures.put("log_z_full_mask_learned", summary.logZAtFullMask());
                    }
                    figures.put("log_z_full_mask_exact", eval.logPartition(pPre));
                    figures.put("finetune_steps", summary.steps());
                    figures.put("wall_s", (System.nanoTime() - start) / 1e9);
                    figures.put("tv_curve", curve);
                }
                LOG.info("target {}: exact TV(policy, target) = {}", spec, f((Double) figures.get("tv_policy_to_target")));
                targets.put(spec, figures);
            }
            reference.close();
            pre.trainer().close();
        }
        out.put("targets", targets);
        out.put("objective", finetune.ddpp().objective().name().toLowerCase());
        out.put("pretrain_steps", pretrain.steps());
        out.put("seed", pretrain.seed());
        out.put("finetune_seed", finetune.seed());
        out.put("wall_s", (System.nanoTime() - wallStart) / 1e9);
        return out;
    }

    /** Runs the benchmark toward the grid target {@code spec} (see {@link GridTargets#parse}). */
    public Map<String, Object> run(String spec) {
        GridTask task = new GridTask();
        RewardFunction raw = GridTargets.parse(spec);
        LogRewardFloor floored = new LogRewardFloor(raw, finetune.logRewardFloor());
        GridEvaluation eval = new GridEvaluation(task, floored, raw);
        Map<String, Object> out = new LinkedHashMap<>();
        long wallStart = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, pretrain, root);
            Mdm reference = pre.model();
            double[] pPre = GridEvaluation.exact(reference);
            double[] target = eval.target(pPre);
            double bpd = MdlmPretrainer.bitsPerDimension(reference, new MaskSchedule(), task.samplePrior(2048, new SplittableRandom(1)), 4, new SplittableRandom(2));
            LOG.info("pre-trained: TV to prior {}, TV to target {}, bpd {}",
                    f(eval.tvToPrior(pPre)), f(Distributions.totalVariation(pPre, target)), f(bpd));
            List<double[]> curve = new ArrayList<>();
            FineTuneResult ft;
            try (OfflineDdppLoop loop = new OfflineDdppLoop(reference, raw, finetune, root)) {
                curve.add(new double[] {0, Distributions.totalVariation(pPre, target)});
                long rssStart = residentMegabytes();
                OfflineDdppLoop.Summary summary = loop.run(step -> {
                    if (evalEvery > 0 && step % evalEvery == 0 && step < finetune.steps()) {
                        double tv = Distributions.totalVariation(GridEvaluation.exact(loop.learner().policy()), target);
                        curve.add(new double[] {step, tv});
                        LOG.info("step {}: exact TV(policy, target) = {}", step, f(tv));
                    }
                });
                long rssEnd = residentMegabytes();
                double[] q = GridEvaluation.exact(loop.learner().policy());
                curve.add(new double[] {summary.steps(), Distributions.totalVariation(q, target)});
                ft = new FineTuneResult(q, summary, loop.reward().clampedCount());
                out.put("task", "grid");
                out.put("reward", spec);
                out.put("objective", finetune.ddpp().objective().name().toLowerCase());
                out.put("tv_pretrained_to_prior", eval.tvToPrior(pPre));
                out.put("tv_pretrained_to_target", Distributions.totalVariation(pPre, target));
                out.put("tv_policy_to_target", Distributions.totalVariation(q, target));
                out.put("kl_target_to_policy", Distributions.kl(target, q));
                out.put("mass_where_reward_zero", eval.massWhereRewardZero(q));
                out.put("tv_full_mask_marginals", GridEvaluation.tvFullMaskMarginals(loop.learner().policy(), target));
                out.put("tv_one_mask_conditionals", GridEvaluation.tvOneMaskConditionals(loop.learner().policy(), target));
                out.put("mass_where_reward_zero_pretrained", eval.massWhereRewardZero(pPre));
                if (finetune.ddpp().objective() == org.ddpp.diffusion.train.Objective.LB) {
                    out.put("log_z_full_mask_learned", summary.logZAtFullMask());
                }
                out.put("log_z_full_mask_exact", eval.logPartition(pPre));
                out.put("pretrain_bits_per_dim", bpd);
                out.put("pretrain_steps", pretrain.steps());
                out.put("finetune_steps", summary.steps());
                out.put("pretrain_steps_per_s", pre.stepsPerSecond());
                out.put("finetune_steps_per_s", summary.stepsPerSecond());
                out.put("clamped_rewards", ft.clamped());
                out.put("rss_mb_finetune_start", rssStart);
                out.put("rss_mb_finetune_end", rssEnd);
                speeds(loop.learner().policy(), out);
                out.put("tv_curve", curve);
            }
            reference.close();
            pre.trainer().close();
        }
        out.put("seed", pretrain.seed());
        out.put("finetune_seed", finetune.seed());
        out.put("threads", threads());
        out.put("wall_s", (System.nanoTime() - wallStart) / 1e9);
        return out;
    }

    private record FineTuneResult(double[] q, OfflineDdppLoop.Summary summary, long clamped) {}

    private void speeds(Mdm policy, Map<String, Object> out) {
        MaskSchedule schedule = new MaskSchedule();
        int steps = finetune.samplerSteps();
        AncestralSampler cached = new AncestralSampler(steps, true, true, schedule);
        AncestralSampler uncached = new AncestralSampler(steps, false, true, schedule);
        out.put("sample_per_s_cached", rate(cached, policy));
        out.put("sample_per_s_uncached", rate(uncached, policy));
        out.put("sampler", cached.describe());
        out.put("sample_batch", 64);
    }

    private double rate(AncestralSampler sampler, Mdm policy) {
        SplittableRandom rng = new SplittableRandom(5);
        sampler.sample(policy, 64, rng); // warm-up
        long start = System.nanoTime();
        int done = 0;
        while (done < speedSamples) {
            sampler.sample(policy, 64, rng);
            done += 64;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /** Resident set size of this process in MiB (Linux), or -1 where /proc is not available. */
    static long residentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Object threads() {
        String t = System.getProperty("ai.djl.pytorch.num_threads");
        return t == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(t);
    }

    private static String f(double v) {
        return String.format("%.4f", v);
    }

    /** The engine in use, for reports. */
    public static String engine() {
        return Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion();
    }
}

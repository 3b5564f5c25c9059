package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.ops.demo.DemoOptions;
import org.ddpp.ops.demo.DemoPipeline;
import org.ddpp.ops.demo.DemoSettings;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.runtime.config.Settings;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.online.OnlineTrainer;

/**
 * {@code ddpp bench pipeline}: runs the online loop on the embedded stack for a fixed time and compares the online
 * trainer's step rate with the offline loop's on the same model and batch size, at the offline loop's own sampling
 * budget and at the online loop's (the same fresh samples per step, the refills' sampling counted in its wall time);
 * also reports candidate latency (created by a sampler → consumed by the trainer), throughput through each role and
 * the CPU each role's threads spent per candidate.
 */
final class PipelineBench {

    private PipelineBench() {}

    static Map<String, Object> run(Settings chosen, Path cacheDir, org.ddpp.runtime.ClusterConnection cluster,
            boolean startRegistry) throws Exception {
        String device = chosen.get(org.ddpp.runtime.config.RoleSettings.DEVICE);
        int freshPerStep = chosen.get(DemoOptions.FRESH_PER_STEP);
        String task = chosen.get(DemoOptions.TASK);
        boolean grid = "grid".equals(task);
        Path work = Files.createTempDirectory("ddpp-bench-pipeline-");
        DemoSettings.Builder builder = DemoSettings.builder().setRun("bench-" + System.currentTimeMillis() / 1000)
                .setWorkDir(work).optCacheDir(cacheDir).optCluster(cluster, startRegistry).optTask(task);
        if (grid) {
            builder.optPretrain(PretrainConfig.defaults()).optComposition(org.ddpp.scorers.reward.RewardComposition.defaults());
        }
        DemoSettings settings = builder.opt(DemoOptions.FRESH_PER_STEP, freshPerStep)
                .opt(DemoOptions.MAX_OUTSTANDING, chosen.get(DemoOptions.MAX_OUTSTANDING))
                .opt(DemoOptions.TARGET_LATENCY, chosen.get(DemoOptions.TARGET_LATENCY))
                .opt(org.ddpp.runtime.config.RoleSettings.DEVICE, device).build();
        Map<String, Object> out = new LinkedHashMap<>();
        try (DemoPipeline pipeline = DemoPipeline.create(settings)) {
            pipeline.startAll();
            // steady state: the first fifth of the run (start-up, the trainer's initial fill) is left out of the CPU
            // and rate figures (the latency quantiles are over the last 20 000 candidates anyway)
            double seconds = chosen.get(OfflineSettings.SECONDS);
            Thread.sleep((long) (seconds * 200));
            OnlineTrainer trainer = pipeline.trainer();
            long consumedAtWarm = trainer.consumed();
            long stepsAtWarm = trainer.stepCount();
            double warmAt = pipeline.seconds();
            Map<String, Double> cpu;
            try (RoleCpu meter = RoleCpu.start()) {
                Thread.sleep((long) (seconds * 800));
                cpu = meter.seconds();
            }
            double steadySeconds = pipeline.seconds() - warmAt;
            long steadyConsumed = trainer.consumed() - consumedAtWarm;
            long steadySteps = trainer.stepCount() - stepsAtWarm;
            double online = trainer.wallStepsPerSecond();
            double onlineCompute = trainer.trainingStepsPerSecond();
            long steps = trainer.stepCount();
            double elapsed = pipeline.seconds();
            double p50 = trainer.latencies().quantile(0.5);
            double p99 = trainer.latencies().quantile(0.99);
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("created_to_joined_p50", trainer.latenciesToJoined().quantile(0.5));
            parts.put("created_to_joined_p99", trainer.latenciesToJoined().quantile(0.99));
            parts.put("joined_to_consumed_p50", trainer.latenciesFromJoined().quantile(0.5));
            parts.put("joined_to_consumed_p99", trainer.latenciesFromJoined().quantile(0.99));
            long consumed = trainer.consumed();
            RunAccounting.Report report = pipeline.drain(settings.get(DemoOptions.JOIN_TIMEOUT).plusSeconds(30));
            // DJL's PyTorch engine allows one gradient collector per process: the online trainer must be stopped
            // before the offline loop trains (which also keeps the two measurements from competing for CPU).
            long versions = trainer.policyVersion();
            pipeline.stopTrainer();
            double freshOnline = steadySteps == 0 ? Double.NaN : steadyConsumed / (double) steadySteps;
            int refillSize = FineTuneSettings.REFILL_SIZE.defaultValue();
            int equalEvery = Double.isNaN(freshOnline) ? FineTuneSettings.REFILL_EVERY.defaultValue()
                    : (int) Math.max(1, Math.round(refillSize / freshOnline));
            int offlineSteps = chosen.get(OfflineSettings.OFFLINE_STEPS);
            OfflineDdppLoop.Summary offlineOwn = offline(pipeline, settings, offlineSteps, FineTuneSettings.REFILL_EVERY.defaultValue());
            OfflineDdppLoop.Summary offlineEqual = offline(pipeline, settings, offlineSteps, equalEvery);
            double offline = offlineOwn.stepsPerSecond();
            double offlineEqualWall = offlineEqual.steps() / offlineEqual.seconds();
            double steadyOnline = steadySteps / steadySeconds;
            out.put("task", task);
            out.put("reward", pipeline.composition().spec());
            out.put("seconds", elapsed);
            out.put("steady_seconds", steadySeconds);
            out.put("trainer_steps", steps);
            out.put("trainer_steps_per_s_online", online);
            out.put("trainer_steps_per_s_online_steady", steadyOnline);
            out.put("trainer_steps_per_s_online_compute_only", onlineCompute);
            out.put("trainer_steps_per_s_offline", offline);
            out.put("online_offline_ratio", online / offline);
            // the same fresh samples per step on both sides: refills every refill_size / fresh steps, and the
            // offline loop's wall time includes sampling them (the online loop samples in other threads)
            out.put("offline_refill_every_equal_budget", equalEvery);
            out.put("trainer_steps_per_s_offline_equal_budget", offlineEqualWall);
            out.put("trainer_steps_per_s_offline_own_budget_wall", offlineOwn.steps() / offlineOwn.seconds());
            out.put("online_offline_ratio_equal_budget", steadyOnline / offlineEqualWall);
            out.put("latency_ms_p50", p50);
            out.put("latency_ms_p99", p99);
            out.put("latency_ms_parts", parts);
            out.put("candidates_per_s_samplers", report.candidates() / elapsed);
            out.put("scored_per_s_joiner", report.scored() / elapsed);
            out.put("consumed_per_s_trainer", consumed / elapsed);
            out.put("consumed_per_s_trainer_steady", steadyConsumed / steadySeconds);
            out.put("candidates", report.candidates());
            out.put("scored", report.scored());
            out.put("dead_letters", report.deadLettered());
            out.put("accounted_exactly_once", report.exact());
            out.put("tv_start", pipeline.startValue());
            out.put("tv_end", pipeline.valueNow());
            out.put("figures_start", pipeline.startFigures());
            out.put("figures_end", pipeline.latestFigures());
            out.put("policy_versions", versions);
            out.put("batch_size", org.ddpp.trainer.online.TrainerSettings.BATCH_SIZE.defaultValue());
            out.put("fresh_per_step", freshPerStep);
            out.put("max_outstanding", chosen.get(DemoOptions.MAX_OUTSTANDING));
            out.put("target_latency_ms", chosen.get(DemoOptions.TARGET_LATENCY).toMillis());
            // the sampling budget each side spends: fresh scored samples taken in per training step
            out.put("fresh_samples_per_step_online", steps == 0 ? Double.NaN : consumed / (double) steps);
            out.put("fresh_samples_per_step_offline", refillSize / (double) FineTuneSettings.REFILL_EVERY.defaultValue());
            out.put("fresh_samples_per_step_offline_equal_budget", refillSize / (double) equalEvery);
            Map<String, Object> perCandidate = new LinkedHashMap<>();
            Map<String, Object> share = new LinkedHashMap<>();
            double total = 0;
            for (Map.Entry<String, Double> e : cpu.entrySet()) {
                // per candidate taken in by the trainer: in steady state every role handles each candidate once
                perCandidate.put(e.getKey(), steadyConsumed == 0 ? Double.NaN : e.getValue() * 1e3 / steadyConsumed);
                share.put(e.getKey(), e.getValue() / steadySeconds);
                total += e.getValue();
            }
            out.put("cpu_ms_per_candidate", perCandidate);
            out.put("cpu_cores_busy", share);
            out.put("cpu_cores_busy_total", total / steadySeconds);
            out.put("trainer_cpu_ms_per_step", steadySteps == 0 ? Double.NaN : cpu.getOrDefault("trainer", 0.0) * 1e3 / steadySteps);
            out.put("cores", Runtime.getRuntime().availableProcessors());
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
        }
        return out;
    }

    /**
     * The offline loop on the run's pre-trained model with the task's in-process reward and the online trainer's
     * batch size, refilling every {@code refillEvery} steps.
     */
    private static OfflineDdppLoop.Summary offline(DemoPipeline pipeline, DemoSettings settings, int steps, int refillEvery)
            throws Exception {
        boolean grid = pipeline.profile().task() instanceof org.ddpp.diffusion.task.GridTask;
        org.ddpp.diffusion.reward.RewardFunction reward = grid ? ExactRewards.of(pipeline.composition()) : pipeline.profile().reward();
        FineTuneConfig.Builder config = (grid ? FineTuneConfig.builder() : pipeline.profile().fineTune())
                .opt(FineTuneSettings.STEPS, steps).opt(FineTuneSettings.REFILL_EVERY, refillEvery)
                .opt(FineTuneSettings.BATCH_SIZE, org.ddpp.trainer.online.TrainerSettings.BATCH_SIZE.defaultValue())
                .opt(FineTuneSettings.LOG_REWARD_FLOOR, pipeline.composition().floor());
        try (NDManager root = NDManager.newBaseManager(org.ddpp.diffusion.DeviceChoice.parse(
                settings.get(org.ddpp.runtime.config.RoleSettings.DEVICE)).resolve());
                Mdm reference = Checkpoint.open(pipeline.pretrained()).loadPolicy(root);
                OfflineDdppLoop loop = new OfflineDdppLoop(reference, reward, config.build(), root)) {
            return loop.run(null);
        }
    }
}

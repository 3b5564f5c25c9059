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
import org.ddpp.ops.demo.PretrainedCache;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.online.OnlineTrainer;

/**
 * {@code ddpp bench pipeline}: runs the online loop on the embedded stack for a fixed time and compares the online
 * trainer's step rate with the offline loop's on the same model and batch size; also reports candidate latency
 * (created by a sampler → consumed by the trainer) and throughput through each role.
 */
final class PipelineBench {

    private PipelineBench() {}

    static Map<String, Object> run(String device, double seconds, int offlineSteps, int freshPerStep, Path cacheDir,
            org.ddpp.runtime.ClusterConnection cluster, boolean startRegistry) throws Exception {
        Path work = Files.createTempDirectory("ddpp-bench-pipeline-");
        DemoSettings settings = DemoSettings.builder().setRun("bench-" + System.currentTimeMillis() / 1000)
                .setWorkDir(work).optCacheDir(cacheDir).optCluster(cluster, startRegistry).optPretrain(PretrainConfig.defaults())
                .optComposition(org.ddpp.scorers.reward.RewardComposition.defaults()).opt(DemoOptions.FRESH_PER_STEP, freshPerStep)
                .opt(org.ddpp.runtime.config.RoleSettings.DEVICE, device).build();
        Map<String, Object> out = new LinkedHashMap<>();
        try (DemoPipeline pipeline = DemoPipeline.create(settings)) {
            pipeline.startAll();
            Thread.sleep((long) (seconds * 1000));
            OnlineTrainer trainer = pipeline.trainer();
            double online = trainer.wallStepsPerSecond();
            double onlineCompute = trainer.trainingStepsPerSecond();
            long steps = trainer.stepCount();
            double elapsed = pipeline.seconds();
            double p50 = trainer.latencies().quantile(0.5);
            double p99 = trainer.latencies().quantile(0.99);
            long consumed = trainer.consumed();
            RunAccounting.Report report = pipeline.drain(settings.get(DemoOptions.JOIN_TIMEOUT).plusSeconds(30));
            // DJL's PyTorch engine allows one gradient collector per process: the online trainer must be stopped
            // before the offline loop trains (which also keeps the two measurements from competing for CPU).
            long versions = trainer.policyVersion();
            pipeline.stopTrainer();
            double offline = offlineStepsPerSecond(settings, offlineSteps);
            out.put("seconds", elapsed);
            out.put("trainer_steps", steps);
            out.put("trainer_steps_per_s_online", online);
            out.put("trainer_steps_per_s_online_compute_only", onlineCompute);
            out.put("trainer_steps_per_s_offline", offline);
            out.put("online_offline_ratio", online / offline);
            out.put("latency_ms_p50", p50);
            out.put("latency_ms_p99", p99);
            out.put("candidates_per_s_samplers", report.candidates() / elapsed);
            out.put("scored_per_s_joiner", report.scored() / elapsed);
            out.put("consumed_per_s_trainer", consumed / elapsed);
            out.put("candidates", report.candidates());
            out.put("scored", report.scored());
            out.put("dead_letters", report.deadLettered());
            out.put("accounted_exactly_once", report.exact());
            out.put("tv_start", pipeline.startValue());
            out.put("tv_end", pipeline.valueNow());
            out.put("policy_versions", versions);
            out.put("batch_size", 64);
            out.put("fresh_per_step", freshPerStep);
            // the sampling budget each side spends: fresh scored samples taken in per training step
            out.put("fresh_samples_per_step_online", steps == 0 ? Double.NaN : consumed / (double) steps);
            out.put("fresh_samples_per_step_offline", FineTuneSettings.REFILL_SIZE.defaultValue() / (double) FineTuneSettings.REFILL_EVERY.defaultValue());
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
        }
        return out;
    }

    /** The offline loop's DDPP steps/s (refills excluded) on the same pre-trained model, reward and batch size. */
    private static double offlineStepsPerSecond(DemoSettings settings, int steps) throws Exception {
        Path pretrained = new PretrainedCache(settings.cacheDir()).ensure(new org.ddpp.diffusion.task.GridTask(), settings.pretrain());
        try (NDManager root = NDManager.newBaseManager(org.ddpp.diffusion.DeviceChoice.parse(
                settings.get(org.ddpp.runtime.config.RoleSettings.DEVICE)).resolve());
                Mdm reference = Checkpoint.open(pretrained).loadPolicy(root);
                OfflineDdppLoop loop = new OfflineDdppLoop(reference, ExactRewards.of(settings.composition()),
                        FineTuneConfig.builder().opt(FineTuneSettings.STEPS, steps).opt(FineTuneSettings.LOG_REWARD_FLOOR, settings.composition().floor()).build(), root)) {
            return loop.run(null).stepsPerSecond();
        }
    }
}

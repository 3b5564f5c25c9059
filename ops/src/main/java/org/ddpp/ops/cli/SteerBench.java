package org.ddpp.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ddpp.ops.demo.DemoOptions;
import org.ddpp.ops.demo.DemoPipeline;
import org.ddpp.ops.demo.DemoSettings;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.scorers.Scorers;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import org.ddpp.trainer.offline.PretrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ddpp bench steer}: the grid loop on the embedded stack, steered live through a list of targets (default
 * half-plane → centre band → half-plane) with {@code ddpp steer}'s own publisher, one phase of {@code --phase-minutes}
 * each; no role restarts. It follows the demo's exact evaluation, which is always against the posterior of the
 * reward the run is steered toward now, and reports the exact TV to the new posterior at the end of each phase after
 * a switch, how long after each switch the TV first came under {@code --tv-threshold}, and whether every candidate
 * was accounted exactly once across the switches.
 */
final class SteerBench {

    private static final Logger LOG = LoggerFactory.getLogger(SteerBench.class);
    private static final long PROGRESS_MS = 10_000;

    private SteerBench() {}

    /** The value of the one gauge called {@code name}, NaN when there is none. */
    private static double gauge(io.micrometer.core.instrument.MeterRegistry meters, String name) {
        io.micrometer.core.instrument.Gauge g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    static Map<String, Object> run(List<String> targets, double phaseMinutes, double threshold, String device, Path cacheDir,
            org.ddpp.runtime.ClusterConnection cluster, boolean startRegistry) throws Exception {
        if (targets.size() < 2) {
            throw new IllegalArgumentException("--targets needs at least two targets (a start and one switch), got " + targets);
        }
        List<RewardComposition> phases = new ArrayList<>();
        Set<String> scorers = new LinkedHashSet<>();
        for (String t : targets) {
            RewardComposition c = RewardComposition.parse(t, RewardComposition.DEFAULT_FLOOR);
            for (String name : c.names()) {
                if (!Scorers.names().contains(name)) {
                    throw new IllegalArgumentException("target " + t + " needs scorer " + name + ", which is not a Java scorer (known: "
                            + String.join(", ", Scorers.names()) + ")");
                }
            }
            phases.add(c);
            scorers.addAll(c.names());
        }
        Path work = Files.createTempDirectory("ddpp-bench-steer-");
        // the trainer's learned log Z at the fully masked input and its Monte-Carlo check, read where they are exported
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        List<Double> logZ = new ArrayList<>();
        List<Double> logMeanR = new ArrayList<>();
        String run = "steer-bench-" + System.currentTimeMillis() / 1000;
        DemoSettings settings = DemoSettings.builder().setRun(run).setWorkDir(work).optCacheDir(cacheDir)
                .optCluster(cluster, startRegistry).optPretrain(PretrainConfig.defaults())
                .optComposition(phases.get(0)).opt(org.ddpp.runtime.config.RoleSettings.DEVICE, device)
                .optMeterRegistry(meters).build();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Double> tvAfter = new ArrayList<>();
        List<Object> secondsToThreshold = new ArrayList<>();
        List<Map<String, Object>> curve = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        try (DemoPipeline pipeline = DemoPipeline.create(settings)) {
            pipeline.startAll();
            for (String name : scorers) {
                if (!phases.get(0).requires(name)) {
                    pipeline.startScorer(name); // the later targets' scorers run from the start: steering needs no restart
                }
            }
            RewardConfigLog log = new RewardConfigLog(pipeline.connection(), Duration.ofSeconds(30));
            for (int i = 0; i < phases.size(); i++) {
                RewardConfig published = log.publish(run, phases.get(i), 1.0, "ddpp bench steer",
                        i == 0 ? "start: " + targets.get(0) : "switch " + i + ": " + targets.get(i - 1) + " -> " + targets.get(i));
                versions.add(published.getVersion());
                double switchedAt = pipeline.seconds();
                LOG.info("bench steer: phase {} of {}: {} (reward configuration v{}) for {} min", i + 1, phases.size(),
                        targets.get(i), published.getVersion(), phaseMinutes);
                Double reached = null;
                double last = Double.NaN;
                long end = System.nanoTime() + (long) (phaseMinutes * 60e9);
                long nextProgress = 0;
                while (System.nanoTime() < end) {
                    Thread.sleep(1_000);
                    Map<String, Double> figures = pipeline.latestFigures();
                    Double tv = figures.get(DemoPipeline.EXACT_TV);
                    Double v = figures.get("reward_config_version");
                    if (tv == null || v == null || v.longValue() != published.getVersion()) {
                        continue; // not evaluated against this phase's posterior yet
                    }
                    if (tv != last) {
                        last = tv;
                        Map<String, Object> point = new LinkedHashMap<>();
                        point.put("seconds", Math.round(pipeline.seconds() * 10) / 10.0);
                        point.put("reward_config_version", published.getVersion());
                        point.put("tv", tv);
                        curve.add(point);
                    }
                    if (reached == null && tv <= threshold) {
                        reached = pipeline.seconds() - switchedAt;
                    }
                    if (System.currentTimeMillis() >= nextProgress) {
                        nextProgress = System.currentTimeMillis() + PROGRESS_MS;
                        LOG.info("bench steer: {} s into phase {} ({}): exact TV {} to its posterior, trainer step {}",
                                Math.round(pipeline.seconds() - switchedAt), i + 1, targets.get(i), String.format("%.4f", tv),
                                pipeline.trainer() == null ? 0 : pipeline.trainer().stepCount());
                    }
                }
                logZ.add(gauge(meters, "ddpp.trainer.log.z.full.mask"));
                logMeanR.add(gauge(meters, "ddpp.trainer.posterior.log.z.mc"));
                if (i == 0) {
                    out.put("tv_before_first_switch", last);
                } else {
                    tvAfter.add(last);
                    secondsToThreshold.add(reached == null ? null : Math.round(reached * 10) / 10.0);
                }
            }
            RunAccounting.Report report = pipeline.drain(settings.get(DemoOptions.JOIN_TIMEOUT).plusSeconds(30));
            out.put("targets", targets);
            out.put("phase_minutes", phaseMinutes);
            out.put("reward_config_versions", versions);
            out.put("tv_after_each_switch", tvAfter);
            out.put("tv_threshold", threshold);
            out.put("seconds_to_threshold_after_each_switch", secondsToThreshold);
            out.put("log_z_full_mask_at_end_of_each_phase", logZ);
            out.put("log_mean_r_pinned_at_end_of_each_phase", logMeanR);
            out.put("accounted_exactly_once", report.exact());
            out.put("candidates", report.candidates());
            out.put("scored", report.scored());
            out.put("dead_letters", report.deadLettered());
            out.put("trainer_steps", pipeline.trainer() == null ? 0 : pipeline.trainer().stepCount());
            out.put("policy_versions", pipeline.trainer() == null ? 0 : pipeline.trainer().policyVersion());
            out.put("seconds", Math.round(pipeline.seconds()));
            out.put("tv_curve", curve);
            pipeline.stopTrainer();
        }
        return out;
    }
}

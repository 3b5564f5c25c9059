package org.ddpp.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ddpp.diffusion.train.DdppLearner;
import org.ddpp.ops.demo.DemoOptions;
import org.ddpp.ops.demo.DemoPipeline;
import org.ddpp.ops.demo.DemoSettings;
import org.ddpp.ops.demo.PretrainedCache;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.online.OnlineTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp demo}: the whole online loop on one machine — embedded KRaft broker and schema registry (or an
 * existing cluster), samplers, scorers, the reward joiner and the online trainer — with a progress line every few
 * seconds, the live dashboard, and a summary whose last line is one JSON object.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Run the online loop on one machine (embedded Kafka + registry by default) with a live dashboard; Ctrl-C or --minutes stops it and prints a summary ending in one JSON line.")
public final class DemoCommand extends RoleCommand {


    @picocli.CommandLine.Mixin RewardOptions reward;

    @Option(names = "--external-scorer", description = "NAME=COMMAND of a scorer that runs outside the JVM, started by the demo; {bootstrap}, {registry} and {run} in COMMAND are replaced (default for garnier-sheet: /usr/bin/python3 scorers/external/python/scorer.py ...). Repeatable.")
    Map<String, String> externalScorers = new LinkedHashMap<>();

    public DemoCommand() {
        super(withConnection(DemoOptions.OPTIONS));
    }

    @Override
    public Integer call() throws Exception {
        // loss options not given stay unset, so the task profile's (the joint residual of long sequences) stand
        org.ddpp.runtime.config.Settings chosen = chosenLeavingUnset(org.ddpp.trainer.learner.LossSettings.ALL);
        String task = chosen.get(DemoOptions.TASK);
        double minutes = chosen.get(DemoOptions.MINUTES);
        String run = chosen.get(DemoOptions.RUN);
        Path workDir = chosen.get(DemoOptions.WORK_DIR);
        Path cacheDir = chosen.get(DemoOptions.CACHE_DIR);
        Integer pretrainSteps = chosen.get(DemoOptions.PRETRAIN_STEPS);
        if (!org.ddpp.ops.tasks.TaskProfiles.names().contains(task)) {
            throw new IllegalArgumentException("unknown demo task '" + task + "' (known: "
                    + String.join(", ", org.ddpp.ops.tasks.TaskProfiles.names()) + ")");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("ddpp-demo-");
        Path cache = cacheDir != null ? cacheDir : PretrainedCache.defaultDirectory();
        DemoSettings settings = DemoSettings.builder()
                .setRun(run != null ? run : task + "-demo-" + System.currentTimeMillis() / 1000)
                .setWorkDir(work)
                .optTask(task)
                .optExternalScorers(commands(externalScorers))
                .optStartExternal(!chosen.get(DemoOptions.NO_START_EXTERNAL))
                .optCluster(connection().clusterGiven() ? connection().connection() : null, !connection().registryGiven())
                .optCacheDir(cache)
                .optPretrain(pretrainSteps == null ? null : pretrainWithSteps(task, cache, pretrainSteps))
                .optComposition(reward.given() ? reward.composition(null) : null)
                .optLogRewardFloor(reward.floor)
                .opt(chosen)
                .optMeterRegistry(connection().meterRegistry())
                .build();
        java.io.PrintWriter out = out();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DemoPipeline pipeline = DemoPipeline.create(settings)) {
            AutoCloseable dashboard = chosen.get(DemoOptions.NO_DASHBOARD) ? null
                    : DashboardLink.start(pipeline, chosen.get(DemoOptions.DASHBOARD_PORT), chosen.get(DemoOptions.ALLOW_STEERING), out);
            AutoCloseable metricsEndpoint = connection().serveMetrics(() -> true,
                    () -> pipeline.trainer() != null && pipeline.trainer().stepCount() > 0);
            try {
                pipeline.startAll();
                out.println("demo " + settings.run() + ": Kafka " + pipeline.bootstrapServers() + ", registry "
                        + pipeline.schemaRegistryUrl() + ", work dir " + work + "; reward " + pipeline.composition().spec()
                        + "; " + label(pipeline) + " at start " + String.format("%.3f", pipeline.startValue()));
                out.flush();
                long end = System.nanoTime() + (long) (minutes * 60e9);
                while (System.nanoTime() < end && !stop.await(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                    out.println(progress(pipeline));
                    out.flush();
                }
                out.println("demo: stopping samplers and draining the pipeline ...");
                out.flush();
                RunAccounting.Report accounting = pipeline.drain(settings.get(DemoOptions.JOIN_TIMEOUT).plusSeconds(30));
                OnlineTrainer trainer = pipeline.trainer();
                long steps = trainer == null ? 0 : trainer.stepCount();
                long versions = trainer == null ? 0 : trainer.policyVersion();
                double latencyP50 = trainer == null ? Double.NaN : trainer.latencies().quantile(0.5);
                double latencyP99 = trainer == null ? Double.NaN : trainer.latencies().quantile(0.99);
                pipeline.stopTrainer();
                List<DemoPipeline.EvalPoint> curve = pipeline.curve();
                out.println("demo " + settings.run() + " summary:");
                List<DemoPipeline.EvalPoint> shown = thin(curve, 25);
                for (DemoPipeline.EvalPoint p : shown) {
                    out.printf("  %7.1f s  step %6d  version %4d  %s %.4f%n", p.seconds(), p.step(), p.version(), label(pipeline), p.value());
                }
                out.println("  last evaluation: " + pipeline.latestFigures());
                out.printf("  candidates %d, scored %d, dead letters %d, in flight %d, accounted exactly once: %s%n",
                        accounting.candidates(), accounting.scored(), accounting.deadLettered(), accounting.inFlight(), accounting.exact());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("run", settings.run());
                String key = pipeline.lowerIsBetter() ? "tv" : DemoPipeline.MEAN_LOG_R;
                summary.put("task", task);
                summary.put("reward", pipeline.composition().spec());
                summary.put(key + "_start", pipeline.startValue());
                summary.put(key + "_end", pipeline.valueNow());
                summary.put("last_evaluation", pipeline.latestFigures());
                summary.put("policy_versions", versions);
                summary.put("candidates", accounting.candidates());
                summary.put("scored", accounting.scored());
                summary.put("dead_letters", accounting.deadLettered());
                summary.put("in_flight", accounting.inFlight());
                summary.put("accounted_exactly_once", accounting.exact());
                summary.put("trainer_steps", steps);
                summary.put("latency_ms_p50", latencyP50);
                summary.put("latency_ms_p99", latencyP99);
                summary.put("seconds", pipeline.seconds());
                summary.put(key + "_curve", thin(curve, 60).stream().map(p -> new double[] {p.seconds(), p.step(), p.version(), p.value()}).toList());
                out.println(Json.line(summary));
                out.flush();
            } finally {
                metricsEndpoint.close();
                if (dashboard != null) {
                    dashboard.close();
                }
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    private static PretrainConfig pretrainWithSteps(String task, Path cache, int steps) {
        try (org.ddpp.trainer.tasks.TaskProfile profile = org.ddpp.ops.tasks.TaskProfiles.create(task, cache)) {
            return profile.pretrain().withSteps(steps);
        }
    }

    private static String label(DemoPipeline pipeline) {
        return pipeline.lowerIsBetter() ? "exact TV" : "policy mean log R";
    }

    /** NAME=COMMAND options as command templates split on spaces. */
    private static Map<String, List<String>> commands(Map<String, String> given) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        given.forEach((name, command) -> {
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("--external-scorer " + name + " needs a command after '='");
            }
            out.put(name, List.of(command.trim().split("\\s+")));
        });
        return out;
    }

    /** At most about {@code n} evenly spaced points, always with the first and the last. */
    static <T> List<T> thin(List<T> points, int n) {
        if (points.size() <= n) {
            return points;
        }
        List<T> out = new java.util.ArrayList<>();
        double stride = (points.size() - 1) / (double) (n - 1);
        for (int i = 0; i < n; i++) {
            out.add(points.get((int) Math.round(i * stride)));
        }
        return out;
    }

    private static String progress(DemoPipeline pipeline) {
        OnlineTrainer t = pipeline.trainer();
        DdppLearner.StepResult last = t == null ? null : t.lastStep();
        return String.format("[demo %6.1f s] version %d, step %d, batch mean log R %s, loss %s, %s %.4f, consumed %d, steps/s %.1f",
                pipeline.seconds(), t == null ? 0 : t.policyVersion(), t == null ? 0 : t.stepCount(),
                last == null ? "-" : String.format("%.3f", last.meanLogReward()),
                last == null ? "-" : String.format("%.4f", last.loss()), label(pipeline), pipeline.valueNow(),
                t == null ? 0 : t.consumed(), t == null ? 0.0 : t.trainingStepsPerSecond());
    }

    /** Serves the live dashboard for the pipeline's run and feeds it the exact grid picture of every version. */
    static final class DashboardLink {
        private DashboardLink() {}

        static AutoCloseable start(DemoPipeline pipeline, int port, boolean allowSteering, java.io.PrintWriter out) {
            org.ddpp.ops.dashboard.Dashboard dashboard = org.ddpp.ops.dashboard.Dashboard.builder()
                    .setConnection(pipeline.connection())
                    .optPort(port)
                    .optRun(pipeline.settings().run())
                    .optSteering(org.ddpp.ops.dashboard.DashboardSteering.start(pipeline.connection(), pipeline.settings().run(), allowSteering))
                    .start();
            pipeline.setPictureSink(dashboard::setGridPicture);
            out.println("dashboard: " + dashboard.url() + (allowSteering ? " (steering allowed)" : ""));
            out.flush();
            return dashboard;
        }
    }
}

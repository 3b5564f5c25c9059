package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.util.Map;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.offline.BaselineBenchmark;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.GridBenchmark;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.online.TrainerSettings;
import picocli.CommandLine.Command;

/** {@code ddpp bench}: benchmarks that print one JSON object each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints ONE JSON object on stdout (progress goes to stderr).",
        subcommands = {BenchCommand.Grid.class, BenchCommand.Pipeline.class, BenchCommand.Methods.class,
                BenchCommand.Protein.class, BenchCommand.Mnist.class, BenchCommand.Sentiment.class, FailoverBench.class,
                BenchCommand.Steer.class,
                org.ddpp.ops.chaos.SoakCommand.class})
public final class BenchCommand extends CommandGroup {

    /** {@code ddpp bench grid}: pre-train + DDPP fine-tune on the 2-D grid with exact evaluation. */
    @Command(name = "grid", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = "Pre-train the grid MDM, fine-tune it toward a grid target (default R = 1[x1 >= 64]; --reward, or every target with --suite) with DDPP, and report exact TV/KL to the true posterior plus training and sampling speed.")
    public static final class Grid extends RoleCommand {

        public Grid() {
            super(OfflineSettings.BENCH_GRID_COMMAND);
        }

        @Override
        public Integer call() {
            Settings chosen = chosen();
            boolean quick = chosen.get(OfflineSettings.QUICK);
            FineTuneConfig.Builder ft = FineTuneSettings.config(chosen);
            if (quick && !given(FineTuneSettings.STEPS)) {
                ft.opt(FineTuneSettings.STEPS, 1200);
            }
            Integer pretrainSteps = chosen.get(OfflineSettings.PRETRAIN_STEPS);
            PretrainConfig pre = PretrainConfig.defaults().withShape(OfflineSettings.shape(chosen))
                    .withSeed(chosen.get(OfflineSettings.PRETRAIN_SEED))
                    .withSteps(pretrainSteps != null ? pretrainSteps : quick ? 1500 : 3000);
            GridBenchmark bench = new GridBenchmark(pre, ft.build(), chosen.get(OfflineSettings.EVAL_EVERY), quick ? 256 : 1024);
            String reward = chosen.get(OfflineSettings.REWARD);
            org.ddpp.diffusion.reward.GridTargets.parse(reward); // a bad --reward is one line before any work
            Map<String, Object> result = chosen.get(OfflineSettings.SUITE)
                    ? bench.runSuite(org.ddpp.diffusion.reward.GridTargets.SUITE) : bench.run(reward);
            result.put("quick", quick);
            printJson(result);
            return 0;
        }
    }

    /** {@code ddpp bench pipeline}: the online loop on the embedded stack against the offline loop. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = "Run the online loop on the embedded stack for a while and report online vs offline trainer steps/s, candidate latency p50/p99 and throughput per role.")
    public static final class Pipeline extends RoleCommand {

        /** Without --bootstrap-servers the bench runs on the embedded stack. */

        public Pipeline() {
            super(withConnection(OfflineSettings.BENCH_PIPELINE_COMMAND));
        }

        @Override
        public Integer call() throws Exception {
            Settings chosen = chosen();
            Path cacheDir = chosen.get(OfflineSettings.CACHE_DIR);
            device(); // a device that is not there is one line and exit 2 before the stack starts
            printJson(PipelineBench.run(chosen, cacheDir != null ? cacheDir : org.ddpp.ops.demo.PretrainedCache.defaultDirectory(),
                    connection().clusterGiven() ? connection().connection() : null, !connection().registryGiven()));
            return 0;
        }
    }

    /** {@code ddpp bench steer}: the grid loop steered live from one target to the next, exact TV after each switch. */
    @Command(name = "steer", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = "Run the grid loop on the embedded stack and steer it live through --targets (default half-plane, centre band, half-plane), --phase-minutes each; report the exact TV to each new posterior at the end of each phase after a switch (tv_after_each_switch), when it first fell under --tv-threshold, and accounted_exactly_once.")
    public static final class Steer extends RoleCommand {

        public Steer() {
            super(withConnection(OfflineSettings.BENCH_STEER_COMMAND));
        }

        @Override
        public Integer call() throws Exception {
            Settings chosen = chosen();
            Path cacheDir = chosen.get(OfflineSettings.CACHE_DIR);
            device(); // a device that is not there is one line and exit 2 before the stack starts
            java.util.List<String> targets = java.util.Arrays.stream(chosen.get(OfflineSettings.STEER_TARGETS).split(";"))
                    .map(String::trim).filter(t -> !t.isEmpty()).toList();
            for (String t : targets) {
                org.ddpp.scorers.reward.RewardComposition.parse(t, org.ddpp.scorers.reward.RewardComposition.DEFAULT_FLOOR);
            }
            printJson(SteerBench.run(targets, chosen.get(OfflineSettings.PHASE_MINUTES), chosen.get(OfflineSettings.TV_THRESHOLD),
                    chosen.get(org.ddpp.runtime.config.RoleSettings.DEVICE),
                    cacheDir != null ? cacheDir : org.ddpp.ops.demo.PretrainedCache.defaultDirectory(),
                    connection().clusterGiven() ? connection().connection() : null, !connection().registryGiven()));
            return 0;
        }
    }

    /** {@code ddpp bench methods}: the paper's inference-time baselines next to DDPP on the same task. */
    @Command(name = "methods", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = "Compare the pre-trained model, best-of-N, SVDD and DDPP fine-tuning: per method mean log R, quality (share with R > 0, histogram TV to the exact target), diversity, reward calls and wall time; writes a markdown report and a PNG under --report-dir.")
    public static final class Methods extends RoleCommand {

        public Methods() {
            super(OfflineSettings.BENCH_METHODS_COMMAND);
        }

        @Override
        public Integer call() throws Exception {
            Settings chosen = chosen();
            String task = chosen.get(OfflineSettings.METHODS_TASK);
            if (!"grid".equals(task)) {
                throw new IllegalArgumentException(
                        "--task " + task + ": the method comparison supports only grid so far");
            }
            int svddCandidates = chosen.get(OfflineSettings.SVDD_CANDIDATES);
            if (svddCandidates < 1) {
                throw new IllegalArgumentException("--svdd-candidates must be >= 1");
            }
            Integer pretrainSteps = chosen.get(OfflineSettings.PRETRAIN_STEPS);
            PretrainConfig pre = PretrainConfig.defaults().withShape(OfflineSettings.shape(chosen))
                    .withSeed(chosen.get(OfflineSettings.PRETRAIN_SEED)).withSteps(pretrainSteps != null ? pretrainSteps : 3000);
            BaselineBenchmark.Settings settings = new BaselineBenchmark.Settings(pre, FineTuneSettings.config(chosen).build(),
                    chosen.get(OfflineSettings.METHODS_SAMPLES), chosen.get(OfflineSettings.BEST_OF), svddCandidates,
                    chosen.get(OfflineSettings.SVDD_ALPHA), chosen.get(OfflineSettings.HAMMING_SUBSAMPLE),
                    chosen.get(OfflineSettings.SAMPLE_SEED), chosen.get(OfflineSettings.REPORT_DIR),
                    chosen.get(OfflineSettings.WITH_IS) ? java.util.List.of(org.ddpp.diffusion.train.Objective.IS) : java.util.List.of(),
                    chosen.get(OfflineSettings.REWARD));
            org.ddpp.diffusion.reward.GridTargets.parse(chosen.get(OfflineSettings.REWARD)); // a bad --reward is one line before any work
            printJson(new BaselineBenchmark(settings).run());
            return 0;
        }
    }

    /** {@code ddpp bench protein}. */
    @Command(name = "protein", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class, description = "Protein beta-sheet: pre-train the protein MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on the Chou-Fasman sheet reward (GOR/garnier sheet fraction besides); writes <report-dir>/protein.md.")
    public static final class Protein extends TaskBenchCommand {
        public Protein() {
            super("protein");
        }
    }

    /** {@code ddpp bench mnist}. */
    @Command(name = "mnist", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class, description = "Binarized MNIST, even digits: pre-train the digit MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on log R = 5 log p(even | x) from a LeNet classifier; writes <report-dir>/mnist.md and sample pictures.")
    public static final class Mnist extends TaskBenchCommand {
        public Mnist() {
            super("mnist");
        }
    }

    /** {@code ddpp bench sentiment}. */
    @Command(name = "sentiment", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class, description = "Sentiment: pre-train the text MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on the tempered log p(positive) of the MiniLM sentiment scorer; writes <report-dir>/sentiment.md.")
    public static final class Sentiment extends TaskBenchCommand {
        public Sentiment() {
            super("sentiment");
        }
    }
}

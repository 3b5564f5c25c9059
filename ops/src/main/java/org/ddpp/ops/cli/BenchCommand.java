package org.ddpp.ops.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.ddpp.trainer.offline.BaselineBenchmark;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.GridBenchmark;
import org.ddpp.trainer.offline.PretrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ddpp bench}: benchmarks that print one JSON object each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints ONE JSON object on stdout (progress goes to stderr).",
        subcommands = {BenchCommand.Grid.class, BenchCommand.Pipeline.class, BenchCommand.Methods.class,
                BenchCommand.Protein.class, BenchCommand.Mnist.class, BenchCommand.Sentiment.class, FailoverBench.class,
                org.ddpp.ops.chaos.SoakCommand.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code ddpp bench grid}: pre-train + DDPP fine-tune on the 2-D grid with exact evaluation. */
    @Command(name = "grid", mixinStandardHelpOptions = true,
            description = "Pre-train the grid MDM, fine-tune it toward a grid target (default R = 1[x1 >= 64]; --reward, or every target with --suite) with DDPP, and report exact TV/KL to the true posterior plus training and sampling speed.")
    public static final class Grid implements Callable<Integer> {

        @Option(names = "--quick", description = "A shorter run (1500 pre-training and 1200 fine-tuning steps) that finishes in well under 3 minutes on 2 cores.")
        boolean quick;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of pre-training (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--pretrain-steps", description = "Pre-training steps (default: 3000; --quick: 1500).")
        Integer pretrainSteps;

        @Option(names = "--eval-every", defaultValue = "250", description = "Exact TV evaluation every N fine-tune steps for the curve; 0 = only at the end (default: ${DEFAULT-VALUE}).")
        int evalEvery;

        @Mixin GridTargetOption reward;

        @Option(names = "--suite", description = "Fine-tune toward every grid target from one pre-trained model and print {\"targets\": {name: exact figures}}.")
        boolean suite;

        @Mixin FineTuneOptions finetune;

        @Mixin ModelOptions model;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        private java.io.PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            FineTuneConfig ft = finetune.toBuilder(quick ? 1200 : 2000).build();
            PretrainConfig pre = PretrainConfig.defaults().withShape(model.shape()).withSeed(seed)
                    .withSteps(pretrainSteps != null ? pretrainSteps : quick ? 1500 : 3000);
            GridBenchmark bench = new GridBenchmark(pre, ft, evalEvery, quick ? 256 : 1024);
            reward.reward(); // a bad --reward is one line before any work
            Map<String, Object> result = suite ? bench.runSuite(org.ddpp.diffusion.reward.GridTargets.SUITE) : bench.run(reward.spec());
            result.put("quick", quick);
            out().println(Json.line(result));
            out().flush();
            return 0;
        }
    }

    /** {@code ddpp bench pipeline}: the online loop on the embedded stack against the offline loop. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "Run the online loop on the embedded stack for a while and report online vs offline trainer steps/s, candidate latency p50/p99 and throughput per role.")
    public static final class Pipeline implements Callable<Integer> {

        @Option(names = "--seconds", defaultValue = "90", description = "How long the online loop runs (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--offline-steps", defaultValue = "1000", description = "Steps of the offline loop measured for the comparison (default: ${DEFAULT-VALUE}).")
        int offlineSteps;

        @Option(names = "--cache-dir", description = "Cache of pre-trained models (default: $DDPP_CACHE or ~/.cache/ddpp).")
        java.nio.file.Path cacheDir;

        @Option(names = "--fresh-per-step", defaultValue = "16", description = "New candidates the trainer takes in per step (default: ${DEFAULT-VALUE}).")
        int freshPerStep;

        /** Without --bootstrap-servers the bench runs on the embedded stack. */
        @Mixin ConnectionOptions connection;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> result = PipelineBench.run(seconds, offlineSteps, freshPerStep,
                    cacheDir != null ? cacheDir : org.ddpp.ops.demo.PretrainedCache.defaultDirectory(),
                    connection.clusterGiven() ? connection.connection() : null, !connection.registryGiven());
            spec.commandLine().getOut().println(Json.line(result));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code ddpp bench methods}: the paper's inference-time baselines next to DDPP on the same task. */
    @Command(name = "methods", mixinStandardHelpOptions = true,
            description = "Compare the pre-trained model, best-of-N, SVDD and DDPP fine-tuning: per method mean log R, quality (share with R > 0, histogram TV to the exact target), diversity, reward calls and wall time; writes a markdown report and a PNG under --report-dir.")
    public static final class Methods implements Callable<Integer> {

        @Option(names = "--task", defaultValue = "grid", description = "Task; only grid so far (default: ${DEFAULT-VALUE}).")
        String task;

        @Option(names = "--samples", defaultValue = "2000", description = "Samples K drawn per method (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--best-of", defaultValue = "10", description = "N of best-of-N: candidates per sample (default: ${DEFAULT-VALUE}).")
        int bestOf;

        @Option(names = "--svdd-candidates", defaultValue = "8", description = "M of SVDD: proposals per sequence and denoising step (default: ${DEFAULT-VALUE}).")
        int svddCandidates;

        @Option(names = "--svdd-alpha", defaultValue = "0", description = "SVDD selection temperature; 0 keeps the best proposal, > 0 samples proportional to exp(value/alpha) (default: ${DEFAULT-VALUE}).")
        double svddAlpha;

        @Option(names = "--hamming-subsample", defaultValue = "500", description = "Samples whose pairs enter the mean Hamming distance (default: ${DEFAULT-VALUE}).")
        int hammingSubsample;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of pre-training (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--sample-seed", defaultValue = "13", description = "Seed of every method's sampling (default: ${DEFAULT-VALUE}).")
        long sampleSeed;

        @Option(names = "--pretrain-steps", defaultValue = "3000", description = "Pre-training steps (default: ${DEFAULT-VALUE}).")
        int pretrainSteps;

        @Option(names = "--with-is", description = "Also fine-tune with DDPP-IS (same settings; M = --is-samples reward calls per training sample) when --objective is lb.")
        boolean withIs;

        @Option(names = "--report-dir", defaultValue = "reports", description = "Where baselines-grid.md and baselines-grid.png go (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path reportDir;

        @Mixin GridTargetOption reward;

        @Mixin FineTuneOptions finetune;

        @Mixin ModelOptions model;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!"grid".equals(task)) {
                throw new IllegalArgumentException(
                        "--task " + task + ": the method comparison supports only grid so far");
            }
            if (samples < 1 || bestOf < 1 || svddCandidates < 1 || hammingSubsample < 2) {
                throw new IllegalArgumentException(
                        "--samples, --best-of and --svdd-candidates must be >= 1 and --hamming-subsample >= 2");
            }
            PretrainConfig pre = PretrainConfig.defaults().withShape(model.shape()).withSeed(seed).withSteps(pretrainSteps);
            BaselineBenchmark.Settings settings = new BaselineBenchmark.Settings(pre, finetune.toBuilder(2000).build(),
                    samples, bestOf, svddCandidates, svddAlpha, hammingSubsample, sampleSeed, reportDir,
                    withIs ? java.util.List.of(org.ddpp.diffusion.train.Objective.IS) : java.util.List.of(), reward.spec());
            reward.reward(); // a bad --reward is one line before any work
            Map<String, Object> result = new BaselineBenchmark(settings).run();
            spec.commandLine().getOut().println(Json.line(result));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code ddpp bench protein}. */
    @Command(name = "protein", mixinStandardHelpOptions = true, description = "Protein beta-sheet: pre-train the protein MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on the Chou-Fasman sheet reward (GOR/garnier sheet fraction besides); writes <report-dir>/protein.md.")
    public static final class Protein extends TaskBenchCommand {
        public Protein() {
            super("protein");
        }
    }

    /** {@code ddpp bench mnist}. */
    @Command(name = "mnist", mixinStandardHelpOptions = true, description = "Binarized MNIST, even digits: pre-train the digit MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on log R = 5 log p(even | x) from a LeNet classifier; writes <report-dir>/mnist.md and sample pictures.")
    public static final class Mnist extends TaskBenchCommand {
        public Mnist() {
            super("mnist");
        }
    }

    /** {@code ddpp bench sentiment}. */
    @Command(name = "sentiment", mixinStandardHelpOptions = true, description = "Sentiment: pre-train the text MDM (cached), then compare the pre-trained model, best-of-N, SVDD and DDPP-LB on the tempered log p(positive) of the MiniLM sentiment scorer; writes <report-dir>/sentiment.md.")
    public static final class Sentiment extends TaskBenchCommand {
        public Sentiment() {
            super("sentiment");
        }
    }
}

package org.ddpp.ops.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.GridBenchmark;
import org.ddpp.trainer.offline.PretrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ddpp bench}: benchmarks that print one JSON object each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints ONE JSON object on stdout (progress goes to stderr).",
        subcommands = {BenchCommand.Grid.class, BenchCommand.Pipeline.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code ddpp bench grid}: pre-train + DDPP fine-tune on the 2-D grid with exact evaluation. */
    @Command(name = "grid", mixinStandardHelpOptions = true,
            description = "Pre-train the grid MDM, fine-tune it toward R = 1[x1 >= 64] with DDPP, and report exact TV/KL to the true posterior plus training and sampling speed.")
    public static final class Grid implements Callable<Integer> {

        @Option(names = "--quick", description = "A shorter run (1500 pre-training and 1200 fine-tuning steps) that finishes in well under 3 minutes on 2 cores.")
        boolean quick;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of pre-training (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--pretrain-steps", description = "Pre-training steps (default: 3000; --quick: 1500).")
        Integer pretrainSteps;

        @Option(names = "--eval-every", defaultValue = "250", description = "Exact TV evaluation every N fine-tune steps for the curve; 0 = only at the end (default: ${DEFAULT-VALUE}).")
        int evalEvery;

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
            Map<String, Object> result = new GridBenchmark(pre, ft, evalEvery, quick ? 256 : 1024).run();
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

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> result = PipelineBench.run(seconds, offlineSteps, freshPerStep,
                    cacheDir != null ? cacheDir : org.ddpp.ops.demo.PretrainedCache.defaultDirectory());
            spec.commandLine().getOut().println(Json.line(result));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.sample.FirstHitSampler;
import org.ddpp.diffusion.sample.Sampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpp sample}: draws sequences from a checkpoint's policy and prints them. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw sequences from a checkpoint's policy and print them, one per line.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "Checkpoint directory (pre-trained or fine-tuned).")
    Path checkpoint;

    @Option(names = {"-n", "--count"}, defaultValue = "16", description = "Number of sequences (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--sampler", defaultValue = "ancestral", description = "ancestral (T steps, cached) or first-hit (one position per step) (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--sampler-steps", defaultValue = "64", description = "Steps T of the ancestral sampler (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--no-cache", description = "Re-run the network even when no position changed.")
    boolean noCache;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object per sequence (tokens and rendering).")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        Sampler s = switch (sampler) {
            case "ancestral" -> new AncestralSampler(steps, !noCache, true, new MaskSchedule());
            case "first-hit" -> new FirstHitSampler();
            default -> throw new IllegalArgumentException("--sampler must be ancestral or first-hit, got '" + sampler + "'");
        };
        Checkpoint cp = Checkpoint.open(checkpoint);
        try (NDManager root = NDManager.newBaseManager();
                Mdm model = cp.loadPolicy(root)) {
            int[][] xs = s.sample(model, count, new SplittableRandom(seed));
            for (int[] x : xs) {
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("tokens", x);
                    row.put("text", model.task().render(x));
                    out().println(Json.line(row));
                } else {
                    out().println(model.task().render(x));
                }
            }
        }
        out().flush();
        return 0;
    }
}

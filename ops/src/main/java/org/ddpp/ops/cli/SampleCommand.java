package org.ddpp.ops.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.sample.FirstHitSampler;
import org.ddpp.diffusion.sample.Sampler;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpp sample}: draws sequences from a checkpoint's policy and prints them. */
@Command(name = "sample", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Draw sequences from a checkpoint's policy and print them, one per line.")
public final class SampleCommand extends RoleCommand {

    @Option(names = {"-n", "--count"}, defaultValue = "16", description = "Number of sequences (default: ${DEFAULT-VALUE}).")
    int count;

    public SampleCommand() {
        super(OfflineSettings.SAMPLE_COMMAND);
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        Settings chosen = chosen();
        Path checkpoint = chosen.get(OfflineSettings.CHECKPOINT);
        String sampler = chosen.get(OfflineSettings.SAMPLER);
        boolean json = chosen.get(OfflineSettings.JSON);
        Sampler s = switch (sampler) {
            case "ancestral" -> new AncestralSampler(chosen.get(OfflineSettings.SAMPLER_STEPS),
                    !chosen.get(OfflineSettings.NO_CACHE), true, new MaskSchedule());
            case "first-hit" -> new FirstHitSampler();
            default -> throw new IllegalArgumentException("--sampler must be ancestral or first-hit, got '" + sampler + "'");
        };
        Checkpoint cp = Checkpoint.open(checkpoint);
        try (NDManager root = NDManager.newBaseManager(device());
                Mdm model = cp.loadPolicy(root)) {
            int[][] xs = s.sample(model, count, new SplittableRandom(chosen.get(OfflineSettings.SAMPLING_SEED)));
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

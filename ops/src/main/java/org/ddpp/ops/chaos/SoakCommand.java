package org.ddpp.ops.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ddpp.ops.cli.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ddpp bench soak}: the grid loop of separate processes for a long time, with each role's memory, threads and files sampled. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the grid loop as separate processes (no faults) and print each role's RSS, heap after GC, thread count "
                + "and open files every --interval and their slopes per hour; ONE JSON object at the end.")
public final class SoakCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "60", description = "How long the loop runs (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--interval", defaultValue = "1m", converter = DurationConverter.class,
            description = "Time between samples (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--pretrained", description = "Pre-trained grid checkpoint (default: a small untrained model).")
    Path pretrained;

    @Option(names = "--work-dir", description = "Directory for logs, broker data and trainer state, kept afterwards (default: a temporary directory).")
    Path workDir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("--minutes and --interval must be positive");
        }
        ChaosSettings settings = ChaosSettings.builder().optDuration(Duration.ofMillis((long) (minutes * 60_000)))
                .optPretrained(pretrained).optWorkDir(workDir).build();
        Map<String, Object> report = SoakBench.run(settings, interval);
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(report));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

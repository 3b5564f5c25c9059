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

/**
 * {@code ddpp chaos}: the fault-injection suite. Runs the grid loop as separate processes on 127.0.0.1, kills,
 * stops and restarts every role, poisons every topic a role reads, checks the topics' invariants after each fault,
 * and prints one JSON object; exit 0 only when no invariant was violated.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Fault injection on the grid loop of separate processes (broker, registry, scorers, joiner, trainer, samplers): "
                + "kill -9, SIGSTOP past the session timeout, clean restarts, poison records; checks after every fault that every "
                + "candidate has exactly one reward or dead letter, no policy version is announced with two sha256, and the "
                + "trainer's intake matches the reward log. Prints ONE JSON object; exit 0 only with 0 violations.")
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "10", description = "How long faults are injected (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault order, moments and victims (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-faults", defaultValue = "0", description = "Keep injecting after --minutes until this many faults (default: ${DEFAULT-VALUE}).")
    int minFaults;

    @Option(names = "--fault-gap-min", defaultValue = "500ms", converter = DurationConverter.class,
            description = "Shortest pause after a recovery before the next fault (default: ${DEFAULT-VALUE}).")
    Duration gapMin;

    @Option(names = "--fault-gap-max", defaultValue = "3s", converter = DurationConverter.class,
            description = "Longest pause after a recovery before the next fault (default: ${DEFAULT-VALUE}).")
    Duration gapMax;

    @Option(names = "--recovery-timeout", defaultValue = "3m", converter = DurationConverter.class,
            description = "A fault not recovered from within this time is a violation (default: ${DEFAULT-VALUE}).")
    Duration recoveryTimeout;

    @Option(names = "--session-timeout", defaultValue = "6s", converter = DurationConverter.class,
            description = "Consumer session timeout of the scorers and the joiner; a SIGSTOP lasts 2 s longer (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--join-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "The joiner's --join-timeout (default: ${DEFAULT-VALUE}).")
    Duration joinTimeout;

    @Option(names = "--transaction-timeout", defaultValue = "20s", converter = DurationConverter.class,
            description = "The scorers' --transaction-timeout (default: ${DEFAULT-VALUE}).")
    Duration transactionTimeout;

    @Option(names = "--startup-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Every role's --startup-timeout (default: ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    @Option(names = "--shutdown-timeout", defaultValue = "20s", converter = DurationConverter.class,
            description = "Every role's --shutdown-timeout (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--pretrained", description = "Pre-trained grid checkpoint for the trainer and samplers (default: a small untrained model).")
    Path pretrained;

    @Option(names = "--work-dir", description = "Directory for logs, broker data and trainer state, kept afterwards (default: a temporary "
            + "directory, deleted unless a violation was found or --keep-work-dir).")
    Path workDir;

    @Option(names = "--keep-work-dir", description = "Keep the temporary work directory.")
    boolean keep;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(minutes >= 0)) {
            throw new IllegalArgumentException("--minutes must be >= 0, got " + minutes);
        }
        ChaosSettings settings = ChaosSettings.builder()
                .optDuration(Duration.ofMillis((long) (minutes * 60_000)))
                .optSeed(seed)
                .optMinFaults(minFaults)
                .optFaultGap(gapMin, gapMax)
                .optRecoveryTimeout(recoveryTimeout)
                .optSessionTimeout(sessionTimeout)
                .optJoinTimeout(joinTimeout)
                .optTransactionTimeout(transactionTimeout)
                .optStartupTimeout(startupTimeout)
                .optShutdownTimeout(shutdownTimeout)
                .optPretrained(pretrained)
                .optWorkDir(workDir)
                .optKeepWorkDir(keep)
                .build();
        Map<String, Object> report = ChaosRun.run(settings);
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(report));
        spec.commandLine().getOut().flush();
        return (int) report.get("invariant_violations") == 0 ? 0 : 1;
    }
}

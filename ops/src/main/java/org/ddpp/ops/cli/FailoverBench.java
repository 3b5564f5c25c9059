package org.ddpp.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ddpp.ops.cluster.FailoverScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp bench failover}: the grid loop on three KRaft brokers, the registry and the roles, each on a host of
 * its own (Linux network namespaces; needs root), through broker crashes and a network cut; prints one JSON object
 * with what was lost or duplicated and how long rewards stopped flowing after each fault.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Run the grid loop on a three-broker KRaft cluster in network namespaces (needs root and iproute2), "
                + "SIGKILL the busiest partition leader, then the active controller (each restarted after --down-for), "
                + "cut a broker off the network for --cut-for, drain, and print candidates, rewards, dead_letters, lost, "
                + "duplicates, seconds_without_progress per fault and the exact TV before and after."})
public final class FailoverBench implements Callable<Integer> {

    @Option(names = "--dir", description = "Working directory (default: a new temporary one).")
    Path dir;

    @Option(names = "--warm-up", defaultValue = "30s", converter = DurationConverter.class,
            description = "Training time before the first fault (default: ${DEFAULT-VALUE}).")
    Duration warmUp;

    @Option(names = "--down-for", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long a killed broker stays down (default: ${DEFAULT-VALUE}).")
    Duration downFor;

    @Option(names = "--cut-for", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long the network cut lasts (default: ${DEFAULT-VALUE}).")
    Duration cutFor;

    @Option(names = "--rounds", defaultValue = "1",
            description = "How many times the three faults are injected (default: ${DEFAULT-VALUE}).")
    int rounds;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("--rounds must be between 1 and 100, got " + rounds);
        }
        List<FailoverScenario.Fault> faults = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            faults.addAll(List.of(FailoverScenario.Fault.values()));
        }
        Path work = dir != null ? dir : Files.createTempDirectory("ddpp-failover");
        FailoverScenario.Result r = new FailoverScenario(new FailoverScenario.Settings(work, warmUp, downFor, cutFor,
                Duration.ofMinutes(3), Duration.ofMinutes(5), faults)).run();
        Map<String, Object> json = r.toJson();
        json.put("dir", work.toString());
        spec.commandLine().getOut().println(Json.line(json));
        spec.commandLine().getOut().flush();
        return r.lost() == 0 && r.duplicates() == 0 ? 0 : 1;
    }
}

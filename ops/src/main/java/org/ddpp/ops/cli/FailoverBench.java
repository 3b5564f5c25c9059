package org.ddpp.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ddpp.ops.cluster.FailoverScenario;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine.Command;

/**
 * {@code ddpp bench failover}: the grid loop on three KRaft brokers, the registry and the roles, each on a host of
 * its own (Linux network namespaces; needs root), through broker crashes and a network cut; prints one JSON object
 * with what was lost or duplicated and how long rewards stopped flowing after each fault.
 */
@Command(name = "failover", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = {"Run the grid loop on a three-broker KRaft cluster in network namespaces (needs root and iproute2), "
                + "SIGKILL the busiest partition leader, then the active controller (each restarted after --down-for), "
                + "cut a broker off the network for --cut-for, drain, and print candidates, rewards, dead_letters, lost, "
                + "duplicates, seconds_without_progress per fault and the exact TV before and after."})
public final class FailoverBench extends RoleCommand {

    public FailoverBench() {
        super(OfflineSettings.BENCH_FAILOVER_COMMAND);
    }

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        int rounds = chosen.get(OfflineSettings.ROUNDS);
        Path dir = chosen.get(OfflineSettings.FAILOVER_DIR);
        List<FailoverScenario.Fault> faults = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            faults.addAll(List.of(FailoverScenario.Fault.values()));
        }
        Path work = dir != null ? dir : Files.createTempDirectory("ddpp-failover");
        FailoverScenario.Result r = new FailoverScenario(new FailoverScenario.Settings(work, chosen.get(OfflineSettings.WARM_UP),
                chosen.get(OfflineSettings.DOWN_FOR), chosen.get(OfflineSettings.CUT_FOR),
                Duration.ofMinutes(3), Duration.ofMinutes(5), faults)).run();
        Map<String, Object> json = r.toJson();
        json.put("dir", work.toString());
        printJson(json);
        return r.lost() == 0 && r.duplicates() == 0 ? 0 : 1;
    }
}

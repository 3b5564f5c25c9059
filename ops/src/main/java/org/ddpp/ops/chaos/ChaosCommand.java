package org.ddpp.ops.chaos;

import java.util.Map;
import org.ddpp.ops.cli.RoleCommand;
import org.ddpp.ops.cli.SettingOptions;
import picocli.CommandLine.Command;

/**
 * {@code ddpp chaos}: the fault-injection suite. Runs the grid loop as separate processes on 127.0.0.1, kills,
 * stops and restarts every role, poisons every topic a role reads, checks the topics' invariants after each fault,
 * and prints one JSON object; exit 0 only when no invariant was violated. Its options are {@link ChaosSettings#ALL}.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Fault injection on the grid loop of separate processes (broker, registry, scorers, joiner, trainer, samplers): "
                + "kill -9, SIGSTOP past the session timeout, clean restarts, poison records; checks after every fault that every "
                + "candidate has exactly one reward or dead letter, no policy version is announced with two sha256, and the "
                + "trainer's intake matches the reward log. Prints ONE JSON object; exit 0 only with 0 violations.")
public final class ChaosCommand extends RoleCommand {

    public ChaosCommand() {
        super(ChaosSettings.ALL);
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> report = ChaosRun.run(ChaosSettings.builder().opt(chosen()).build());
        printJson(report);
        return (int) report.get("invariant_violations") == 0 ? 0 : 1;
    }
}

package org.ddpp.ops.chaos;

import org.ddpp.ops.cli.RoleCommand;
import org.ddpp.ops.cli.SettingOptions;
import picocli.CommandLine.Command;

/**
 * {@code ddpp bench soak}: the grid loop of separate processes for a long time, with each role's memory, threads and
 * files sampled. Its options are {@link ChaosSettings#SOAK}.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Run the grid loop as separate processes (no faults) and print each role's RSS, heap after GC, thread count "
                + "and open files every --interval and their slopes per hour; ONE JSON object at the end.")
public final class SoakCommand extends RoleCommand {

    public SoakCommand() {
        super(ChaosSettings.SOAK);
    }

    @Override
    public Integer call() throws Exception {
        printJson(SoakBench.run(ChaosSettings.builder().opt(chosen()).build()));
        return 0;
    }
}

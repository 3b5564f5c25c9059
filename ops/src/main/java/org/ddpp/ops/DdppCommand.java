package org.ddpp.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ddpp} command line: one entry point for every role (pre-training, fine-tuning, sampling,
 * benchmarks and, later, the streaming services). Each role is a picocli subcommand with its own typed options.
 */
@Command(
        name = "ddpp",
        mixinStandardHelpOptions = true,
        version = "ddpp-stream 0.1.0",
        description = "Steer pre-trained masked discrete diffusion models toward what external scorers reward.",
        subcommands = {
            CommandLine.HelpCommand.class,
            org.ddpp.ops.cli.PretrainCommand.class,
            org.ddpp.ops.cli.FineTuneCommand.class,
            org.ddpp.ops.cli.SampleCommand.class,
            org.ddpp.ops.cli.BenchCommand.class,
            BrokerCommand.class,
            RegistryCommand.class,
            org.ddpp.ops.cli.TrainerCommand.class,
            org.ddpp.ops.cli.DemoCommand.class,
            org.ddpp.ops.cli.SamplerCommand.class,
            org.ddpp.ops.cli.ScorerCommand.class,
            org.ddpp.ops.cli.JoinerCommand.class,
            org.ddpp.ops.cli.TopicsCommand.class,
            org.ddpp.ops.cli.SteerCommand.class,
            org.ddpp.ops.cli.SettingsCommand.class,
            org.ddpp.ops.chaos.ChaosCommand.class
        })
public final class DdppCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with readable one-line errors for bad input. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DdppCommand());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}

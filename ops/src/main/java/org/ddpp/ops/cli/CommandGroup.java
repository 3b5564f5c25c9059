package org.ddpp.ops.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code ddpp bench}, {@code ddpp topics}): on its own it prints its usage. */
public abstract class CommandGroup implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public final void run() {
        spec.commandLine().usage(System.out);
    }
}

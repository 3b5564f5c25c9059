package org.ddpp.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The run a streaming role belongs to ({@code ddpp sampler}, {@code ddpp trainer}): its id and pre-trained model. */
public final class RunOptions {

    @Option(names = "--run", defaultValue = "grid-demo",
            description = "Run id: the role works on this run's candidates and policy versions only (default: ${DEFAULT-VALUE}).")
    String run;

    @Option(names = "--pretrained", required = true,
            description = "The run's pre-trained checkpoint directory (policy version 0, the architecture and the frozen reference).")
    Path pretrained;
}

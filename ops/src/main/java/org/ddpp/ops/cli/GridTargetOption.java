package org.ddpp.ops.cli;

import org.ddpp.diffusion.reward.GridTargets;
import org.ddpp.diffusion.reward.RewardFunction;
import picocli.CommandLine.Option;

/**
 * {@code --reward NAME[:k=v,...]} for the offline grid commands ({@code ddpp bench grid}, {@code ddpp bench methods},
 * {@code ddpp finetune}): one of the {@link GridTargets}, so every command names and parameterises the targets alike.
 */
public final class GridTargetOption {

    @Option(names = "--reward", defaultValue = "half-plane", paramLabel = "NAME[:k=v,...]",
            description = "Grid target: half-plane[:position=0,threshold=64], center[:position=1,center=64,scale=64], "
                    + "checkerboard, annulus[:inner=20,outer=36], coupling[:scale=16] (default: ${DEFAULT-VALUE}).")
    String spec = "half-plane";

    /** The spec as given. */
    public String spec() {
        return spec;
    }

    /** The raw reward of the spec; an {@link IllegalArgumentException} (one line, exit 2) when it is not a target. */
    public RewardFunction reward() {
        return GridTargets.parse(spec);
    }
}

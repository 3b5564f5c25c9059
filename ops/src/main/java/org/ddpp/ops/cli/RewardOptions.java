package org.ddpp.ops.cli;

import org.ddpp.scorers.reward.RewardComposition;
import picocli.CommandLine.Option;

/**
 * The reward composition options, one name per concept for every command that joins or evaluates a reward
 * ({@code joiner}, {@code demo}): {@code --reward name=weight,...} and {@code --log-reward-floor}.
 */
public final class RewardOptions {

    @Option(names = "--reward", paramLabel = "NAME=W[,NAME=W...]",
            description = "Required scorers and weights: log R = max(floor, sum_k w_k log R_k); weight 1 when omitted; "
                    + "a grid target's name stands for its scorer (checkerboard = grid-checkerboard) "
                    + "(default: the task's; grid " + RewardComposition.DEFAULT_SPEC + ").")
    String spec;

    @Option(names = "--log-reward-floor", defaultValue = "" + RewardComposition.DEFAULT_FLOOR,
            description = "Floor on the combined log R; clamped candidates are counted (default: ${DEFAULT-VALUE}).")
    double floor = RewardComposition.DEFAULT_FLOOR;

    /** True when {@code --reward} was given. */
    public boolean given() {
        return spec != null;
    }

    /** The composition given, or {@code defaultSpec} with the given floor. */
    public RewardComposition composition(String defaultSpec) {
        return RewardComposition.parse(spec != null ? spec : defaultSpec, floor);
    }
}

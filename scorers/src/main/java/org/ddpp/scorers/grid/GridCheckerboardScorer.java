package org.ddpp.scorers.grid;

import java.util.Set;
import org.ddpp.diffusion.reward.CheckerboardReward;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code grid-checkerboard}: the grid target {@link CheckerboardReward} as a scorer service, so the online loop can be steered
 * toward a reward that couples both positions and checked against its exact posterior.
 */
public final class GridCheckerboardScorer extends RewardFunctionScorer {

    public static final String NAME = "grid-checkerboard";

    public GridCheckerboardScorer() {
        super(NAME, "1", Set.of("grid"), new CheckerboardReward());
    }
}

package org.ddpp.scorers.grid;

import java.util.Set;
import org.ddpp.diffusion.reward.CouplingReward;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code grid-coupling}: the grid target {@link CouplingReward} as a scorer service, so the online loop can be steered
 * toward a reward that couples both positions and checked against its exact posterior.
 */
public final class GridCouplingScorer extends RewardFunctionScorer {

    public static final String NAME = "grid-coupling";

    public GridCouplingScorer() {
        super(NAME, "1", Set.of("grid"), new CouplingReward());
    }
}

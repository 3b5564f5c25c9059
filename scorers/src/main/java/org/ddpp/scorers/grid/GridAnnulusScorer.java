package org.ddpp.scorers.grid;

import java.util.Set;
import org.ddpp.diffusion.reward.AnnulusReward;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code grid-annulus}: the grid target {@link AnnulusReward} as a scorer service, so the online loop can be steered
 * toward a reward that couples both positions and checked against its exact posterior.
 */
public final class GridAnnulusScorer extends RewardFunctionScorer {

    public static final String NAME = "grid-annulus";

    public GridAnnulusScorer() {
        super(NAME, "1", Set.of("grid"), new AnnulusReward());
    }
}

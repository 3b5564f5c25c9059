package org.ddpp.scorers.grid;

import java.util.Set;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code grid-half-plane}: the paper's grid reward {@code R(x) = 1[x¹ ≥ 64]}, i.e. log R = 0 on the right half of
 * the plane and −∞ elsewhere (the joiner's floor turns −∞ into a finite value).
 */
public final class GridHalfPlaneScorer extends RewardFunctionScorer {

    public static final String NAME = "grid-half-plane";

    public GridHalfPlaneScorer() {
        super(NAME, "1", Set.of("grid"), new HalfPlaneReward());
    }
}

package org.ddpp.scorers.grid;

import java.util.Set;
import org.ddpp.diffusion.reward.CenterReward;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code grid-center}: a soft preference for the middle rows of the grid, {@code log R(x) = −|x² − 64| / 64}
 * (see {@link CenterReward}); with {@code grid-half-plane} it makes a two-scorer target.
 */
public final class GridCenterScorer extends RewardFunctionScorer {

    public static final String NAME = "grid-center";

    public GridCenterScorer() {
        super(NAME, "1", Set.of("grid"), new CenterReward());
    }
}

package org.ddpp.scorers.joiner;

import java.util.Optional;
import org.ddpp.runtime.RewardConfigFollower;
import org.ddpp.schemas.avro.RewardConfig;

/**
 * Where the joiner looks up the reward configuration a candidate was created under ({@code Candidate.rewardConfigVersion}):
 * in production the {@link RewardConfigFollower} of {@code ddpp.reward-config}; in topology tests a fixed map. A
 * candidate of version 0 is joined under the joiner's own {@code --scorers} and never asks.
 */
@FunctionalInterface
public interface RewardVersions {

    /** Version {@code version} (≥ 1) of {@code run}, or empty while it is not known here. */
    Optional<RewardConfig> config(String run, long version);

    /**
     * True when some known version of some run requires {@code scorer}: a score that comes before its candidate is
     * kept only then (or when the joiner's own scorers require it).
     */
    default boolean mayRequire(String scorer) {
        return false;
    }

    /** No run was ever steered: every candidate is joined under the joiner's own scorers. */
    RewardVersions NONE = (run, version) -> Optional.empty();

    /** The versions a follower has read. */
    static RewardVersions of(RewardConfigFollower follower) {
        return new RewardVersions() {
            @Override
            public Optional<RewardConfig> config(String run, long version) {
                return follower.version(run, version);
            }

            @Override
            public boolean mayRequire(String scorer) {
                return follower.everRequired(scorer);
            }
        };
    }
}

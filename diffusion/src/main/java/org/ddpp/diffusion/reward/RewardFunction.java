package org.ddpp.diffusion.reward;

/**
 * A log reward {@code log R(x)} over whole sequences, as used by the offline loop and by DDPP-IS. In the streaming
 * system rewards come from scorer services instead; this is the in-process form of the same thing.
 */
@FunctionalInterface
public interface RewardFunction {

    /** Name shown in reports and metrics. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** {@code log R(x)} for each sequence; may be {@code -Infinity} where R = 0 (see {@link LogRewardFloor}). */
    double[] logReward(int[][] sequences);
}

package org.ddpp.diffusion.reward;

/**
 * A log reward {@code log R(x)} over whole sequences, as used by the offline loop and by DDPP-IS. In the streaming
 * system rewards come from scorer services instead; this is the in-process form of the same thing.
 */
public interface RewardFunction {

    /** Name shown in reports and metrics. */
    String name();

    /** {@code log R(x)} for each sequence; may be {@code -Infinity} where R = 0 (see {@link LogRewardFloor}). */
    double[] logReward(int[][] sequences);
}

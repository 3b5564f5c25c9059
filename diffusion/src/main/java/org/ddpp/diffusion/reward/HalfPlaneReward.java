package org.ddpp.diffusion.reward;

/**
 * The grid task's reward {@code R(x) = 1[x¹ ≥ 64]}: keeps the 8 prior squares of the right half of the plane.
 * Returns {@code log R}, i.e. 0 or −∞; wrap it in {@link LogRewardFloor}.
 */
public final class HalfPlaneReward implements RewardFunction {

    private final int position;
    private final int threshold;

    /** The paper's reward: first coordinate at least 64. */
    public HalfPlaneReward() {
        this(0, 64);
    }

    public HalfPlaneReward(int position, int threshold) {
        this.position = position;
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return "half-plane";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            out[i] = sequences[i][position] >= threshold ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        return out;
    }
}

package org.ddpp.diffusion.reward;

/**
 * A grid reward that couples both coordinates through their distance from the centre: {@code R(x) = 1} when
 * {@code inner ≤ |x − (64, 64)| ≤ outer}, else 0. The default band (20 to 36 cells) cuts through the four inner
 * squares of the grid's prior and clips the outer ones, so the posterior is neither a union of squares nor a
 * product over positions. Returns {@code log R} (0 or −∞); wrap it in {@link LogRewardFloor}.
 */
public final class AnnulusReward implements RewardFunction {

    private final double inner;
    private final double outer;

    /** The default band, 20 to 36 cells from (64, 64). */
    public AnnulusReward() {
        this(20, 36);
    }

    public AnnulusReward(double inner, double outer) {
        if (!(inner >= 0 && outer > inner)) {
            throw new IllegalArgumentException("annulus needs 0 <= inner < outer, got inner " + inner + ", outer " + outer);
        }
        this.inner = inner;
        this.outer = outer;
    }

    @Override
    public String name() {
        return "annulus";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            double dx = sequences[i][0] - 64.0;
            double dy = sequences[i][1] - 64.0;
            double r = Math.sqrt(dx * dx + dy * dy);
            out[i] = r >= inner && r <= outer ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        return out;
    }
}

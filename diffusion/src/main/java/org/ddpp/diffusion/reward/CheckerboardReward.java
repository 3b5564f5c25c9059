package org.ddpp.diffusion.reward;

/**
 * A grid reward that couples both coordinates: the plane is cut into 4 × 4 blocks of 32 × 32 cells (each holding one
 * square of the grid's prior) and {@code R(x) = 1} where the block indices {@code (⌊x¹/32⌋ + ⌊x²/32⌋)} are even,
 * else 0 — a checkerboard over the 16 squares. Its posterior does not factorise over positions. Returns
 * {@code log R} (0 or −∞); wrap it in {@link LogRewardFloor}.
 */
public final class CheckerboardReward implements RewardFunction {

    /** Side of one block, in cells. */
    public static final int BLOCK = 32;

    @Override
    public String name() {
        return "checkerboard";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            int parity = (sequences[i][0] / BLOCK + sequences[i][1] / BLOCK) % 2;
            out[i] = parity == 0 ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        return out;
    }
}

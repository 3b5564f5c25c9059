package org.ddpp.diffusion.reward;

/**
 * A soft grid reward that couples the two coordinates: {@code log R(x) = −|x¹ − x²| / scale} (default scale 16), so
 * the target leans toward the diagonal. Never −∞ and differentiable in a relaxed one-hot input.
 */
public final class CouplingReward implements DifferentiableReward {

    private final double scale;

    /** The default scale, 16 cells per nat. */
    public CouplingReward() {
        this(16);
    }

    public CouplingReward(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        this.scale = scale;
    }

    @Override
    public String name() {
        return "coupling";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            out[i] = 0.0 - Math.abs(sequences[i][0] - sequences[i][1]) / scale;
        }
        return out;
    }

    @Override
    public ai.djl.ndarray.NDArray logReward(ai.djl.ndarray.NDManager m, ai.djl.ndarray.NDArray relaxed) {
        ai.djl.ndarray.NDArray x = DifferentiableReward.expectedIndex(m, relaxed);
        ai.djl.ndarray.index.NDIndex first = new ai.djl.ndarray.index.NDIndex(":, 0");
        ai.djl.ndarray.index.NDIndex second = new ai.djl.ndarray.index.NDIndex(":, 1");
        return x.get(first).sub(x.get(second)).abs().div((float) scale).neg();
    }
}

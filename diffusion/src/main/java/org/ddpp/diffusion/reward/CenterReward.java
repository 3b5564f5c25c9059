package org.ddpp.diffusion.reward;


/**
 * A soft grid reward that prefers the middle of one axis: {@code log R(x) = −|x_p − c| / s}, by default on the
 * second coordinate with c = 64 and s = 64, so log R lies in [−1, 0]. Unlike the half-plane indicator it is never
 * −∞, which makes multi-scorer composition produce a non-uniform target.
 */
public final class CenterReward implements DifferentiableReward {

    private final int position;
    private final double center;
    private final double scale;

    /** The default: second coordinate, centre 64, scale 64. */
    public CenterReward() {
        this(1, 64, 64);
    }

    public CenterReward(int position, double center, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        this.position = position;
        this.center = center;
        this.scale = scale;
    }

    @Override
    public String name() {
        return "center";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            out[i] = 0.0 - Math.abs(sequences[i][position] - center) / scale; // 0.0 - x: never -0.0
        }
        return out;
    }

    @Override
    public ai.djl.ndarray.NDArray logReward(ai.djl.ndarray.NDManager m, ai.djl.ndarray.NDArray relaxed) {
        ai.djl.ndarray.NDArray x = DifferentiableReward.expectedIndex(m, relaxed).get(new ai.djl.ndarray.index.NDIndex(":, " + position));
        return x.sub((float) center).abs().div((float) scale).neg();
    }
}

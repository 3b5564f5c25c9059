package org.ddpp.diffusion.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A log reward that can be evaluated on relaxed one-hot sequences and differentiated through them, which DDPP-KL
 * needs: its reward term's gradient reaches the policy through the relaxed samples. On exact one-hot input it
 * equals {@link RewardFunction#logReward(int[][])}.
 */
public interface DifferentiableReward extends RewardFunction {

    /**
     * @param relaxed {@code (N, L, V)} float32, each {@code (n, l)} row a point of the probability simplex over the
     *     vocabulary (one-hot for a token)
     * @return {@code log R} per sequence, float32 {@code (N)}, attached to {@code m} with the gradient to {@code relaxed}
     */
    NDArray logReward(NDManager m, NDArray relaxed);

    /**
     * The differentiable form of {@code reward}, looking through a {@link LogRewardFloor}; null when it has none
     * (an indicator reward such as the half-plane has zero gradient almost everywhere).
     */
    static DifferentiableReward of(RewardFunction reward) {
        if (reward instanceof LogRewardFloor floored) {
            DifferentiableReward inner = of(floored.inner());
            return inner == null ? null : floored.differentiable(inner);
        }
        return reward instanceof DifferentiableReward d ? d : null;
    }

    /** The expected token index {@code Σ_v v · relaxed[n, l, v]}, float32 {@code (N, L)}: the relaxed coordinate. */
    static NDArray expectedIndex(NDManager m, NDArray relaxed) {
        long vocab = relaxed.getShape().get(2);
        NDArray index = m.arange(0f, (float) vocab, 1f).reshape(1, 1, vocab);
        return relaxed.mul(index).sum(new int[] {2});
    }
}

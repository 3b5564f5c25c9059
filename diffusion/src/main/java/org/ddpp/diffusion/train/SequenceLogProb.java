package org.ddpp.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.ddpp.diffusion.model.Tensors;

/**
 * {@code log q(x0 | xt) = Σ_{i : xt_i = MASK} log mu(xt)_i[x0_i]}, summed in float64. Unmasked positions
 * contribute exactly zero (carry-over), so a sequence without masks has log-probability 0.
 */
public final class SequenceLogProb {

    private SequenceLogProb() {}

    /**
     * @param logProbs denoiser output {@code (B, L, V)}
     * @param x0 clean tokens {@code (B, L)}
     * @param xt the masking of {@code x0}
     * @param maskId the MASK id
     * @return float64 {@code (B)}
     */
    public static NDArray of(NDManager m, NDArray logProbs, int[][] x0, int[][] xt, int maskId) {
        NDArray index = Tensors.tokens(m, x0).expandDims(2);
        NDArray picked = logProbs.gather(index, 2).squeeze(2); // (B, L)
        // A float64 indicator: multiplying promotes to float64 and, unlike toType, keeps the autograd graph.
        NDArray masked = Tensors.maskIndicator(m, xt, maskId).toType(DataType.FLOAT64, false);
        return picked.mul(masked).sum(new int[] {1});
    }
}

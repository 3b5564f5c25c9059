package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The masked-diffusion denoiser {@code mu(xt)} as a DJL block: token and position embeddings, a pre-LN
 * bidirectional transformer, a final LayerNorm and an output projection onto the real vocabulary.
 *
 * <p>SUBS parametrisation: the projection has no MASK column, which is the same as a MASK logit of −inf, and the
 * output is a log-softmax over the {@code V} real tokens. Carry-over (unmasked positions keep their token) is
 * applied by the callers, which only ever read masked positions.
 *
 * <p>Input: {@code xt} as int64 {@code (B, L)} with values in {@code [0, V]} ({@code V} = MASK). Output: log
 * probabilities {@code (B, L, V)}.
 */
public final class MdmDenoiser extends ParameterBlock {

    private final int vocabSize;
    private final int length;
    private final NetworkShape shape;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final PreLnEncoder encoder;
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final Parameter outWeight;
    private final Parameter outBias;

    public MdmDenoiser(int vocabSize, int length, NetworkShape shape, long seed) {
        super(seed);
        this.vocabSize = vocabSize;
        this.length = length;
        this.shape = shape;
        int d = shape.dModel();
        tokenEmbedding = weight("token_embedding", 0.02, vocabSize + 1L, d);
        positionEmbedding = weight("position_embedding", 0.02, length, d);
        encoder = addChildBlock("encoder", new PreLnEncoder(shape, seed + 1));
        finalGamma = ones("final_ln_gamma", d);
        finalBeta = zeros("final_ln_beta", d);
        outWeight = weight("out_weight", 0.02, vocabSize, d);
        outBias = zeros("out_bias", vocabSize);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray xt = inputs.get(0);
        NDArray h = embed(xt, tokenEmbedding).add(value(positionEmbedding));
        h = encoder.forward(store, new NDList(h), training).singletonOrThrow();
        h = PreLnEncoder.layerNorm(h, finalGamma, finalBeta);
        NDArray logits = PreLnEncoder.linear(h, outWeight, outBias);
        return new NDList(logits.logSoftmax(-1));
    }

    static NDArray embed(NDArray tokens, Parameter table) {
        return tokens.getNDArrayInternal()
                .embedding(tokens, value(table), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int length() {
        return length;
    }

    public NetworkShape shape() {
        return shape;
    }
}

package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The learned log-partition network {@code logZ_phi(xt, t)} of DDPP-LB: token and position embeddings plus a
 * sinusoidal time embedding, a small pre-LN transformer, a mean-pool over the maskable positions and an MLP to a
 * scalar. Its output bias can be set to the mean log reward of the first batch so that training starts near the
 * right scale.
 *
 * <p>Inputs: {@code xt} int64 {@code (B, L)}, {@code t} float32 {@code (B)}. Output: {@code (B)} float32.
 */
public final class LogPartitionNet extends ParameterBlock {

    private final int vocabSize;
    private final int length;
    private final NetworkShape shape;
    private final float[] poolWeights;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter timeWeight;
    private final Parameter timeBias;
    private final PreLnEncoder encoder;
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final Parameter headWeight;
    private final Parameter headBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    /**
     * @param maskable which positions may be masked; only those are pooled (all positions when every entry is
     *     false)
     */
    public LogPartitionNet(int vocabSize, int length, NetworkShape shape, boolean[] maskable, long seed) {
        super(seed);
        this.vocabSize = vocabSize;
        this.length = length;
        this.shape = shape;
        this.poolWeights = poolWeights(maskable, length);
        int d = shape.dModel();
        tokenEmbedding = weight("token_embedding", 0.02, vocabSize + 1L, d);
        positionEmbedding = weight("position_embedding", 0.02, length, d);
        timeWeight = weight("time_weight", 0.02, d, d);
        timeBias = zeros("time_bias", d);
        encoder = addChildBlock("encoder", new PreLnEncoder(shape, seed + 1));
        finalGamma = ones("final_ln_gamma", d);
        finalBeta = zeros("final_ln_beta", d);
        headWeight = weight("head_weight", 0.02, d, d);
        headBias = zeros("head_bias", d);
        outWeight = weight("out_weight", 0.02, 1, d);
        outBias = zeros("out_bias", 1);
    }

    private static float[] poolWeights(boolean[] maskable, int length) {
        int count = 0;
        for (boolean m : maskable) {
            count += m ? 1 : 0;
        }
        float[] w = new float[length];
        for (int i = 0; i < length; i++) {
            w[i] = count == 0 ? 1f / length : (maskable[i] ? 1f / count : 0f);
        }
        return w;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray xt = inputs.get(0);
        NDArray t = inputs.get(1);
        NDManager manager = xt.getManager();
        NDArray time = Activation.gelu(PreLnEncoder.linear(timeFeatures(t), timeWeight, timeBias));
        NDArray h = MdmDenoiser.embed(xt, tokenEmbedding)
                .add(value(positionEmbedding))
                .add(time.expandDims(1));
        h = encoder.forward(store, new NDList(h), training).singletonOrThrow();
        h = PreLnEncoder.layerNorm(h, finalGamma, finalBeta);
        NDArray pool = manager.create(poolWeights).reshape(1, length, 1);
        NDArray pooled = h.mul(pool).sum(new int[] {1});
        NDArray hidden = Activation.gelu(PreLnEncoder.linear(pooled, headWeight, headBias));
        return new NDList(PreLnEncoder.linear(hidden, outWeight, outBias).reshape(-1));
    }

    /** Sinusoidal features of t (scaled by 1000, as in diffusion time embeddings), shape (B, d). */
    private NDArray timeFeatures(NDArray t) {
        int half = shape.dModel() / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        NDArray angles = t.toType(DataType.FLOAT32, false).mul(1000f).reshape(-1, 1)
                .mul(t.getManager().create(freqs).reshape(1, half));
        NDArray feats = angles.sin().concat(angles.cos(), 1);
        if (feats.getShape().get(1) < shape.dModel()) {
            feats = feats.concat(t.getManager().zeros(new ai.djl.ndarray.types.Shape(feats.getShape().get(0), 1)), 1);
        }
        return feats;
    }

    /** Sets the scalar output bias (used to start log Z at the mean log reward of the first batch). */
    public void setOutputBias(float bias) {
        NDArray b = value(outBias);
        b.set(new float[] {bias});
    }

    public float outputBias() {
        return value(outBias).getFloat(0);
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

package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A stack of pre-LayerNorm bidirectional transformer layers (LayerNorm → multi-head self-attention → residual,
 * LayerNorm → GELU MLP → residual). Written from primitives because DJL's own transformer blocks normalise with
 * BatchNorm, which makes train-mode and eval-mode outputs differ (see docs/architecture.md, "Platform notes").
 *
 * <p>Input: hidden states {@code (B, L, d)}; output: the same shape.
 */
public final class PreLnEncoder extends ParameterBlock {

    private static final float LN_EPS = 1e-5f;

    private final NetworkShape shape;
    private final Parameter[][] layers;

    public PreLnEncoder(NetworkShape shape, long seed) {
        super(seed);
        this.shape = shape;
        int d = shape.dModel();
        int h = shape.mlpHidden();
        double std = 0.02;
        double residualStd = 0.02 / Math.sqrt(2.0 * Math.max(1, shape.layers()));
        layers = new Parameter[shape.layers()][];
        for (int l = 0; l < shape.layers(); l++) {
            String p = "layer" + l + "_";
            layers[l] =
                    new Parameter[] {
                        ones(p + "ln1_gamma", d),
                        zeros(p + "ln1_beta", d),
                        weight(p + "qkv_weight", std, 3L * d, d),
                        zeros(p + "qkv_bias", 3L * d),
                        weight(p + "out_weight", residualStd, d, d),
                        zeros(p + "out_bias", d),
                        ones(p + "ln2_gamma", d),
                        zeros(p + "ln2_beta", d),
                        weight(p + "mlp1_weight", std, h, d),
                        zeros(p + "mlp1_bias", h),
                        weight(p + "mlp2_weight", residualStd, d, h),
                        zeros(p + "mlp2_bias", d)
                    };
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Parameter[] layer : layers) {
            x = x.add(attention(layerNorm(x, layer[0], layer[1]), layer));
            NDArray hidden = Activation.gelu(linear(layerNorm(x, layer[6], layer[7]), layer[8], layer[9]));
            x = x.add(linear(hidden, layer[10], layer[11]));
        }
        return new NDList(x);
    }

    private NDArray attention(NDArray x, Parameter[] layer) {
        long b = x.getShape().get(0);
        long len = x.getShape().get(1);
        int d = shape.dModel();
        int heads = shape.heads();
        int dh = d / heads;
        // (B, L, 3d) -> (3, B, H, L, dh)
        NDArray qkv = linear(x, layer[2], layer[3]).reshape(b, len, 3, heads, dh).transpose(2, 0, 3, 1, 4);
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(dh));
        NDArray context = scores.softmax(-1).matMul(v); // (B, H, L, dh)
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(b, len, d);
        return linear(merged, layer[4], layer[5]);
    }

    static NDArray layerNorm(NDArray x, Parameter gamma, Parameter beta) {
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(x.getShape().getShape()[x.getShape().dimension() - 1]), value(gamma), value(beta), LN_EPS)
                .singletonOrThrow();
    }

    static NDArray linear(NDArray x, Parameter weight, Parameter bias) {
        return Linear.linear(x, value(weight), value(bias)).singletonOrThrow();
    }

    public NetworkShape shape() {
        return shape;
    }
}

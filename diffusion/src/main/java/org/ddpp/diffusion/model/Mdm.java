package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.ddpp.diffusion.task.Task;

/**
 * A masked diffusion model ready to use: the {@link MdmDenoiser} block, the manager that owns its weights and the
 * task it models. Policies, frozen references and sampler copies are all {@code Mdm}s of the same architecture.
 */
public final class Mdm implements AutoCloseable {

    private final Task task;
    private final NetworkShape shape;
    private final NDManager manager;
    private final MdmDenoiser denoiser;
    private final ParameterStore store;

    private Mdm(Task task, NetworkShape shape, long seed, NDManager parent) {
        this.task = task;
        this.shape = shape;
        this.manager = parent.newSubManager();
        this.denoiser = new MdmDenoiser(task.vocabSize(), task.length(), shape, seed);
        this.denoiser.initialize(manager);
        this.store = new ParameterStore(manager, false);
    }

    /** A freshly initialised model (weights drawn from {@code seed}) owned by a child of {@code parent}. */
    public static Mdm create(Task task, NetworkShape shape, long seed, NDManager parent) {
        return new Mdm(task, shape, seed, parent);
    }

    /** An exact copy of this model's weights in a new model, owned by a child of {@code parent}. */
    public Mdm copy(NDManager parent) {
        Mdm other = new Mdm(task, shape, 0L, parent);
        other.copyWeightsFrom(this);
        return other;
    }

    /** Overwrites this model's weights with {@code source}'s (same architecture), in place. */
    public void copyWeightsFrom(Mdm source) {
        copyParameters(source.denoiser, denoiser);
    }

    static void copyParameters(ai.djl.nn.Block from, ai.djl.nn.Block to) {
        GradMode.off();
        List<Pair<String, Parameter>> a = ParameterLists.pairs(from.getParameters());
        List<Pair<String, Parameter>> b = ParameterLists.pairs(to.getParameters());
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("architectures differ: " + a.size() + " vs " + b.size() + " parameters");
        }
        for (int i = 0; i < a.size(); i++) {
            a.get(i).getValue().getArray().copyTo(b.get(i).getValue().getArray());
        }
    }

    /** Stops gradients from ever reaching this model's weights (the frozen pre-trained reference). */
    public void freeze() {
        denoiser.freezeParameters(true);
    }

    /**
     * Log probabilities {@code (B, L, V)} of the denoiser for {@code xt}, attached to {@code m}. Gradients flow to
     * the weights when called inside a gradient collector.
     */
    public NDArray logProbs(NDManager m, int[][] xt, boolean training) {
        NDArray input = Tensors.tokens(m, xt);
        return denoiser.forward(store, new NDList(input), training).singletonOrThrow();
    }

    /**
     * Tokens per forward pass of {@link #probabilities}: a larger batch is evaluated in row chunks of at most
     * {@code TOKENS_PER_FORWARD / L} sequences, so memory stays bounded (attention holds {@code B·heads·L²} floats:
     * best-of-10 over 512 MNIST digits in one pass needed over 20 GB). Tasks with short sequences (grid: 65 536
     * rows) are never split in practice.
     */
    public static final int TOKENS_PER_FORWARD = 131_072;

    /** Probabilities {@code [B][L][V]} as Java arrays, for sampling; no gradients. */
    public float[][][] probabilities(int[][] xt) {
        GradMode.off();
        int b = xt.length;
        int l = task.length();
        int v = task.vocabSize();
        int rowsPerChunk = Math.max(1, TOKENS_PER_FORWARD / l);
        float[][][] out = new float[b][l][v];
        for (int from = 0; from < b; from += rowsPerChunk) {
            int n = Math.min(rowsPerChunk, b - from);
            int[][] chunk = n == b ? xt : java.util.Arrays.copyOfRange(xt, from, from + n);
            try (NDManager m = manager.newSubManager()) {
                float[] flat = logProbs(m, chunk, false).exp().toFloatArray();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        System.arraycopy(flat, (i * l + j) * v, out[from + i][j], 0, v);
                    }
                }
            }
        }
        return out;
    }

    /** The weights, in a fixed order (for optimisers, clipping and checkpoints). */
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : denoiser.getParameters()) {
            list.add(p.getValue());
        }
        return list;
    }

    public MdmDenoiser block() {
        return denoiser;
    }

    public Task task() {
        return task;
    }

    public NetworkShape shape() {
        return shape;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}

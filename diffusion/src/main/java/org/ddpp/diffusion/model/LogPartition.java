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

/** A {@link LogPartitionNet} with the manager that owns its weights: DDPP-LB's learned {@code log Z(xt, t)}. */
public final class LogPartition implements AutoCloseable {

    private final Task task;
    private final NetworkShape shape;
    private final NDManager manager;
    private final LogPartitionNet net;
    private final ParameterStore store;

    private LogPartition(Task task, NetworkShape shape, long seed, NDManager parent) {
        this.task = task;
        this.shape = shape;
        this.manager = parent.newSubManager();
        this.net = new LogPartitionNet(task.vocabSize(), task.length(), shape, task.maskable(), seed);
        this.net.initialize(manager);
        this.store = new ParameterStore(manager, false);
    }

    public static LogPartition create(Task task, NetworkShape shape, long seed, NDManager parent) {
        return new LogPartition(task, shape, seed, parent);
    }

    /** {@code log Z(xt, t)} as a float32 {@code (B)} array attached to {@code m}. */
    public NDArray logZ(NDManager m, int[][] xt, double[] t, boolean training) {
        NDArray input = Tensors.tokens(m, xt);
        NDArray times = Tensors.floats(m, t);
        return net.forward(store, new NDList(input, times), training).singletonOrThrow();
    }

    /** {@code log Z} at the fully masked input and time 1, where it should equal {@code log E_pre[R]}. */
    public double logZAtFullMask() {
        GradMode.off();
        int[][] xt = new int[1][task.length()];
        java.util.Arrays.fill(xt[0], task.maskId());
        try (NDManager m = manager.newSubManager()) {
            return logZ(m, xt, new double[] {1.0}, false).getFloat(0);
        }
    }

    public void setOutputBias(double bias) {
        GradMode.off();
        net.setOutputBias((float) bias);
    }

    /**
     * Adds {@code delta} to every {@code log Z(xt)} at once (the output bias): the online trainer's first move when
     * the reward is re-weighted, by how much the Monte-Carlo estimate of {@code log E_pre[R]} moved.
     */
    public void shiftOutputBias(double delta) {
        GradMode.off();
        net.setOutputBias((float) (net.outputBias() + delta));
    }

    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            list.add(p.getValue());
        }
        return list;
    }

    public LogPartitionNet block() {
        return net;
    }

    public NetworkShape shape() {
        return shape;
    }

    @Override
    public void close() {
        manager.close();
    }
}

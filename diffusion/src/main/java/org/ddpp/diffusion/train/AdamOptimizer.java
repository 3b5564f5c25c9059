package org.ddpp.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.ddpp.diffusion.model.GradMode;

/**
 * Adam with global-norm gradient clipping over one network's parameters. Written here rather than taken from
 * DJL so that its state (moments and step count) can be saved in checkpoints and restored bit-for-bit, and so
 * each network (policy, log Z) gets its own learning rate.
 */
public final class AdamOptimizer implements AutoCloseable {

    private final List<Parameter> parameters;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double clipNorm;
    private final NDManager manager;
    private final NDArray[] firstMoment;
    private final NDArray[] secondMoment;
    private long steps;
    private long skipped;
    private double learningRateScale = 1.0;

    /**
     * @param clipNorm maximum global L2 norm of the gradient; {@code <= 0} disables clipping
     */
    public AdamOptimizer(List<Parameter> parameters, double learningRate, double clipNorm, NDManager parent) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, clipNorm, parent);
    }

    public AdamOptimizer(
            List<Parameter> parameters,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon,
            double clipNorm,
            NDManager parent) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.clipNorm = clipNorm;
        this.manager = parent.newSubManager();
        this.firstMoment = new NDArray[parameters.size()];
        this.secondMoment = new NDArray[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            firstMoment[i] = manager.zeros(w.getShape(), w.getDataType());
            secondMoment[i] = manager.zeros(w.getShape(), w.getDataType());
        }
    }

    /**
     * Clips the accumulated gradients, applies one Adam step and zeroes the gradients.
     *
     * @return the global gradient norm before clipping
     */
    public double step() {
        GradMode.off();
        steps++;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray[] grads = new NDArray[parameters.size()];
            NDArray sumSq = null;
            for (int i = 0; i < grads.length; i++) {
                NDArray g = parameters.get(i).getArray().getGradient();
                g.attach(scratch);
                grads[i] = g;
                NDArray s = g.square().sum();
                sumSq = sumSq == null ? s : sumSq.add(s);
            }
            double norm = sumSq == null ? 0.0 : Math.sqrt(sumSq.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
            if (!Double.isFinite(norm)) {
                // An overflowing or NaN gradient would turn every weight into NaN (inf · 0 = NaN when clipping):
                // drop this update, keep the weights and moments, and let the caller see the NaN norm.
                for (NDArray g : grads) {
                    zero(g);
                }
                skipped++;
                return norm;
            }
            double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-12) : 1.0;
            double c1 = 1.0 - Math.pow(beta1, steps);
            double c2 = 1.0 - Math.pow(beta2, steps);
            double stepSize = learningRate * learningRateScale * Math.sqrt(c2) / c1;
            for (int i = 0; i < grads.length; i++) {
                NDArray g = scale == 1.0 ? grads[i] : grads[i].mul((float) scale);
                firstMoment[i].muli((float) beta1).addi(g.mul((float) (1.0 - beta1)));
                secondMoment[i].muli((float) beta2).addi(g.square().muli((float) (1.0 - beta2)));
                // Results of operations on the moments belong to the moments' manager: attach the temporaries to
                // the scratch manager, or every step would leak two parameter-sized arrays.
                NDArray denom = secondMoment[i].sqrt();
                denom.attach(scratch);
                denom.addi((float) (epsilon * Math.sqrt(c2)));
                NDArray update = firstMoment[i].div(denom);
                update.attach(scratch);
                parameters.get(i).getArray().subi(update.muli((float) stepSize));
                zero(grads[i]);
            }
            return norm;
        }
    }

    /** Zeroes the gradients without updating (used for networks that sit out a step). */
    public void zeroGradients() {
        GradMode.off();
        try (NDManager scratch = manager.newSubManager()) {
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                g.attach(scratch);
                zero(g);
            }
        }
    }

    /** Sets every element to 0 in place (subtracting the array from itself would leave NaN where it holds inf). */
    private static void zero(NDArray g) {
        g.set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
    }

    /** Updates dropped because the gradient norm was not finite. */
    public long skippedUpdates() {
        return skipped;
    }

    public long steps() {
        return steps;
    }

    /** Scales the learning rate of the following steps (a schedule); 1 = as configured. */
    public void setLearningRateScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("learning-rate scale must be finite and positive, got " + scale);
        }
        learningRateScale = scale;
    }

    public double learningRate() {
        return learningRate;
    }

    /** Writes the step count and both moments. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(1);
        out.writeLong(steps);
        out.writeInt(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            out.writeUTF(parameters.get(i).getName());
            writeArray(out, firstMoment[i]);
            writeArray(out, secondMoment[i]);
        }
    }

    /** Restores what {@link #save} wrote; the parameter list must match. */
    public void load(DataInputStream in) throws IOException {
        GradMode.off();
        int version = in.readInt();
        if (version != 1) {
            throw new IOException("unsupported optimiser state version " + version);
        }
        steps = in.readLong();
        int n = in.readInt();
        if (n != parameters.size()) {
            throw new IOException("optimiser state has " + n + " parameters, network has " + parameters.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(parameters.get(i).getName())) {
                throw new IOException("optimiser state for '" + name + "' where '" + parameters.get(i).getName() + "' was expected");
            }
            readArray(in, firstMoment[i]);
            readArray(in, secondMoment[i]);
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void readArray(DataInputStream in, NDArray target) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray loaded = scratch.decode(bytes);
            if (!loaded.getShape().equals(target.getShape())) {
                throw new IOException("optimiser state shape " + loaded.getShape() + " != " + target.getShape());
            }
            loaded.copyTo(target);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

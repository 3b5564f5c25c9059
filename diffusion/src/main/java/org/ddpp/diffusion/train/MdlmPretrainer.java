package org.ddpp.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.Tensors;
import org.ddpp.diffusion.task.Task;

/**
 * MDLM pre-training: minimises the continuous-time ELBO
 * {@code E_t [(1/t) Σ_{masked i} −log mu(xt)_i[x0_i]] / L} with Adam and gradient clipping, and evaluates bits per
 * dimension. This produces the reference model {@code p_pre} that DDPP steers.
 */
public final class MdlmPretrainer implements AutoCloseable {

    private final Mdm model;
    private final MaskSchedule schedule;
    private final AdamOptimizer optimizer;

    public MdlmPretrainer(Mdm model, MaskSchedule schedule, double learningRate, double gradClip) {
        this.model = model;
        this.schedule = schedule;
        this.optimizer = new AdamOptimizer(model.parameters(), learningRate, gradClip, model.manager());
    }

    /** One step on a batch of clean sequences; returns the ELBO loss (nats per position). */
    public double step(int[][] x0, SplittableRandom rng) {
        Task task = model.task();
        double[] t = schedule.sampleTimes(x0.length, rng);
        int[][] xt = schedule.mask(x0, t, task.maskable(), task.maskId(), rng);
        try (NDManager m = model.manager().newSubManager()) {
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = elbo(m, x0, xt, t);
                gc.backward(loss);
            }
            optimizer.step();
            return loss.getDouble();
        }
    }

    private NDArray elbo(NDManager m, int[][] x0, int[][] xt, double[] t) {
        double[] weights = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            weights[i] = schedule.elboWeight(t[i]) / model.task().length();
        }
        NDArray logQ = SequenceLogProb.of(m, model.logProbs(m, xt, true), x0, xt, model.task().maskId());
        return logQ.neg().mul(Tensors.doubles(m, weights)).mean();
    }

    /**
     * Bits per dimension of {@code data} under the model: the ELBO in nats divided by {@code L·ln 2}, averaged over
     * {@code timesPerSample} maskings of each sequence.
     */
    public static double bitsPerDimension(Mdm model, MaskSchedule schedule, int[][] data, int timesPerSample, SplittableRandom rng) {
        org.ddpp.diffusion.model.GradMode.off();
        Task task = model.task();
        double total = 0.0;
        int count = 0;
        for (int r = 0; r < timesPerSample; r++) {
            double[] t = schedule.sampleTimes(data.length, rng);
            int[][] xt = schedule.mask(data, t, task.maskable(), task.maskId(), rng);
            try (NDManager m = model.manager().newSubManager()) {
                double[] logQ = SequenceLogProb.of(m, model.logProbs(m, xt, false), data, xt, task.maskId()).toDoubleArray();
                for (int i = 0; i < logQ.length; i++) {
                    total += -logQ[i] * schedule.elboWeight(t[i]);
                    count++;
                }
            }
        }
        return total / count / (task.length() * Math.log(2.0));
    }

    public AdamOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}

package org.ddpp.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskedBatch;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.DifferentiableReward;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * Applies DDPP updates to a policy: owns the policy, the frozen reference, the log-Z network and one Adam
 * optimiser per network, and turns a {@link MaskedBatch} into one gradient step. The offline loop and the online
 * (Kafka) trainer both drive this class, so they train identically.
 */
public final class DdppLearner implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DdppLearner.class);

    private final DdppConfig config;
    private final Mdm policy;
    private final Mdm reference;
    private final LogPartition logPartition;
    private final AdamOptimizer policyOptimizer;
    private final AdamOptimizer logZOptimizer;
    private final RewardFunction isReward;
    private final DifferentiableReward klReward;
    private long step;
    private long skippedSteps;
    private boolean biasInitialised;

    /** The outcome of one step, for logs and metrics. */
    public record StepResult(long step, double loss, double meanLogZ, double meanLogReward, double policyGradNorm, boolean warmup) {}

    /**
     * @param policy the network to fine-tune (starts as a copy of the reference)
     * @param reference the pre-trained model; frozen here
     * @param logPartition the log-Z network (used by LB)
     * @param isReward the reward DDPP-IS evaluates on its importance samples, and DDPP-KL differentiates (its
     *     {@link DifferentiableReward} form); null for LB
     */
    public DdppLearner(
            DdppConfig config, Mdm policy, Mdm reference, LogPartition logPartition, RewardFunction isReward, NDManager parent) {
        if (config.objective() == Objective.IS && isReward == null) {
            throw new IllegalArgumentException("DDPP-IS needs a reward function for its importance samples");
        }
        this.klReward = config.objective() == Objective.KL ? DifferentiableReward.of(isReward) : null;
        if (config.objective() == Objective.KL && klReward == null) {
            throw new IllegalArgumentException("DDPP-KL needs a differentiable in-process reward (on the grid: coupling, center), "
                    + (isReward == null ? "and there is none here (online, rewards come from scorers)" : "not " + isReward.name()));
        }
        this.config = config;
        this.policy = policy;
        this.reference = reference;
        this.logPartition = logPartition;
        this.isReward = isReward;
        reference.freeze();
        this.policyOptimizer = new AdamOptimizer(policy.parameters(), config.policyLearningRate(), config.gradClip(), parent);
        this.logZOptimizer = new AdamOptimizer(logPartition.parameters(), config.logZLearningRate(), config.gradClip(), parent);
    }

    /**
     * The training batch of clean samples {@code x0}, masked as this learner's settings say
     * ({@link DdppConfig#singleMaskShare()}); {@code explore} marks the rows drawn from the pre-trained model or prior data.
     */
    public MaskedBatch batch(int[][] x0, double[] logReward, boolean[] explore, org.ddpp.diffusion.MaskSchedule schedule,
            SplittableRandom rng) {
        return MaskedBatch.draw(x0, logReward, explore, policy.task(), schedule, config.singleMaskShare(), rng);
    }

    /** One gradient step on {@code batch}; {@code rng} drives the IS proposal samples. */
    public StepResult step(MaskedBatch batch, SplittableRandom rng) {
        return step(batch, rng, false);
    }

    /**
     * One gradient step on {@code batch}; with {@code logZOnly} (LB) it updates only the log-Z network, as in the
     * warm-up: what the online trainer runs after the reward changed, so log Z catches up before the policy moves.
     */
    public StepResult step(MaskedBatch batch, SplittableRandom rng, boolean logZOnly) {
        boolean lb = config.objective() == Objective.LB;
        if (lb && !biasInitialised && step == 0) {
            logPartition.setOutputBias(mean(batch.logReward()));
        }
        biasInitialised = true;
        boolean warmup = lb && (logZOnly || step < config.warmupSteps());
        policyOptimizer.setLearningRateScale(config.learningRateScale(step));
        logZOptimizer.setLearningRateScale(config.learningRateScale(step));
        try (NDManager m = policy.manager().newSubManager()) {
            DdppLosses.Value value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DdppLosses.Terms terms = DdppLosses.Terms.of(config);
                value = switch (config.objective()) {
                    case LB -> config.residual() == DdppConfig.Residual.POSITION
                            ? DdppLosses.lbPerPosition(m, policy, reference, logPartition, batch, warmup, terms, rng)
                            : DdppLosses.lb(m, policy, reference, logPartition, batch, warmup, terms);
                    case IS -> DdppLosses.importanceSampled(m, policy, reference, batch, isReward, config.isSamples(), config.proposal(), rng, terms);
                    case KL -> DdppLosses.kl(m, policy, reference, batch, klReward, DdppLosses.KL_SAMPLES, rng, terms);
                };
                gc.backward(value.loss());
            }
            double loss = value.loss().getDouble();
            if (!Double.isFinite(loss)) {
                // Never apply a non-finite update: it would poison every weight. Count it and say why.
                policyOptimizer.zeroGradients();
                logZOptimizer.zeroGradients();
                skippedSteps++;
                LOG.warn("skipping DDPP step {}: non-finite loss ({}); log q in [{}, {}], log p in [{}, {}], log Z in [{}, {}], log R in [{}, {}]",
                        step + 1, loss, min(value.logQ()), max(value.logQ()), min(value.logP()), max(value.logP()),
                        min(value.logZ()), max(value.logZ()), Arrays.stream(batch.logReward()).min().orElse(0),
                        Arrays.stream(batch.logReward()).max().orElse(0));
                step++;
                return new StepResult(step, loss, Double.NaN, mean(batch.logReward()), Double.NaN, warmup);
            }
            double policyNorm = 0.0;
            if (warmup) {
                policyOptimizer.zeroGradients();
            } else {
                policyNorm = policyOptimizer.step();
            }
            if (lb) {
                logZOptimizer.step();
            }
            step++;
            double meanLogZ = value.logZ().mean().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            return new StepResult(step, loss, meanLogZ, mean(batch.logReward()), policyNorm, warmup);
        }
    }

    private static double min(ai.djl.ndarray.NDArray a) {
        return a.min().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    private static double max(ai.djl.ndarray.NDArray a) {
        return a.max().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    /** Steps whose loss was not finite and that were therefore not applied. */
    public long skippedSteps() {
        return skippedSteps;
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? 0 : s / values.length;
    }

    public long stepCount() {
        return step;
    }

    /** Restores the step counter (from a checkpoint). */
    public void setStepCount(long steps) {
        this.step = steps;
        this.biasInitialised = steps > 0;
    }

    public Mdm policy() {
        return policy;
    }

    public Mdm reference() {
        return reference;
    }

    public LogPartition logPartition() {
        return logPartition;
    }

    public DdppConfig config() {
        return config;
    }

    /** Writes both optimisers' state. */
    public void saveOptimizers(DataOutputStream policyOut, DataOutputStream logZOut) throws IOException {
        policyOptimizer.save(policyOut);
        logZOptimizer.save(logZOut);
    }

    /** Restores both optimisers' state. */
    public void loadOptimizers(DataInputStream policyIn, DataInputStream logZIn) throws IOException {
        policyOptimizer.load(policyIn);
        logZOptimizer.load(logZIn);
    }

    @Override
    public void close() {
        policyOptimizer.close();
        logZOptimizer.close();
    }
}

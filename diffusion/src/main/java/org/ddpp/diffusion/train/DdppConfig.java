package org.ddpp.diffusion.train;

/**
 * Settings of a DDPP fine-tune, with the defaults that converged on the grid (docs/algorithm.md, "Defaults"). Built with
 * {@link #builder()}; every setting is optional.
 *
 * @param objective LB (learned log Z) or IS (importance-sampled log Z); default LB
 * @param policyLearningRate Adam learning rate of the policy theta; default 3e-4
 * @param logZLearningRate Adam learning rate of the log-Z network phi; default 3e-3
 * @param warmupSteps first steps that update phi only; default 200
 * @param gradClip global-norm gradient clip applied to each network; default 1.0
 * @param isSamples M, the number of importance samples per training sample (IS only); default 16
 * @param proposal the IS proposal; default the policy
 * @param elboWeight weight λ of the reward-weighted ELBO term added to the DDPP loss: on the rows drawn from the
 *     pre-trained model (or prior data), {@code λ · Σ_i w_i · (−log q_θ(x0_i | xt_i))} with self-normalised weights
 *     {@code w_i ∝ R(x0_i)}, a cross-entropy to the target {@code π ∝ p_pre·R} that fits each masked position's
 *     marginal, which the squared log-ratio cannot when the target couples positions (docs/fidelity.md); default 0
 *     (the paper's objective)
 * @param singleMaskShare share of each batch's rows masked at exactly one position instead of at a drawn time;
 *     default 0
 * @param timeWeighting weight of each row's squared residual over its time t; default uniform (the paper's)
 * @param multiMaskPolicyWeight scale of the policy's gradient from the squared residual of rows with two or more
 *     masked positions, where the per-position denoiser cannot represent a target that couples them (the log-Z
 *     network still trains on those rows); default 1 (the paper's)
 * @param lrDecaySteps when positive: both learning rates fall linearly to a tenth of their value over this many
 *     steps and stay there (less gradient noise at the end of a run); default 0, constant (the paper's)
 * @param residual which log-ratio DDPP-LB regresses: the whole masked sequence's ({@link Residual#JOINT}, the
 *     paper's) or one masked position's against the next state's learned log Z ({@link Residual#POSITION}); default
 *     position, which reaches the posterior of rewards that couple positions (docs/fidelity.md); the task profiles of
 *     long sequences (protein, MNIST, sentiment) keep joint
 * @param logZAnchorWeight weight of a second loss for the log-Z network on the exploration rows alone (samples of
 *     the pre-trained model, where {@code E[R(x0) | xt] = Z(xt)} exactly): the Poisson loss
 *     {@code Z_φ(xt) − R(x0)·log Z_φ(xt)}, whose minimiser is that expectation whatever the policy does; default 0
 */
public record DdppConfig(
        Objective objective,
        double policyLearningRate,
        double logZLearningRate,
        int warmupSteps,
        double gradClip,
        int isSamples,
        Proposal proposal,
        double elboWeight,
        double singleMaskShare,
        TimeWeighting timeWeighting,
        double multiMaskPolicyWeight,
        int lrDecaySteps,
        Residual residual,
        double logZAnchorWeight) {

    /**
     * The log-ratio DDPP-LB's squared loss regresses at a masked state {@code xt} (docs/fidelity.md, "One-step
     * residuals").
     */
    public enum Residual {
        /**
         * The paper's: {@code log q(x0|xt) − log p(x0|xt) − log R(x0) + log Z(xt)} over all masked positions at once.
         * With a per-position denoiser it can only be zero everywhere when the target factorises over the masked
         * positions.
         */
        JOINT,
        /**
         * One masked position {@code j} per row: {@code log q_j(x0_j|xt) − log p_j(x0_j|xt) − log Z(xt ⊕ x0_j) + log Z(xt)},
         * where {@code xt ⊕ x0_j} reveals that position and {@code log Z} of a clean sequence is {@code log R}. All
         * of them are zero at once exactly when each position's conditional is the target's marginal and log Z is
         * the true one, which a per-position denoiser can represent for every reward.
         */
        POSITION;

        /** Parses {@code joint} / {@code position}, case-insensitively, with a readable error. */
        public static Residual parse(String text) {
            return EnumNames.parse(Residual.class, text, "residual");
        }
    }

    /** How the squared DDPP residual of a row is weighted by its masking time t (weights average 1 over t ~ U). */
    public enum TimeWeighting {
        /** Every row alike (the paper). */
        UNIFORM,
        /** {@code 2·(1 − t)}: less weight on heavily masked states, where a per-position denoiser cannot fit a coupled target. */
        DECREASING;

        /** Parses {@code uniform} / {@code decreasing}, case-insensitively, with a readable error. */
        public static TimeWeighting parse(String text) {
            return EnumNames.parse(TimeWeighting.class, text, "time weighting");
        }

        /** The weight of a row masked at time {@code t}. */
        public double weight(double t) {
            return this == UNIFORM ? 1.0 : 2.0 * (1.0 - t);
        }
    }

    public DdppConfig {
        if (!(policyLearningRate > 0) || !(logZLearningRate > 0)) {
            throw new IllegalArgumentException("learning rates must be positive");
        }
        if (warmupSteps < 0 || isSamples < 1) {
            throw new IllegalArgumentException("warm-up must be >= 0 and IS samples >= 1");
        }
        if (!(elboWeight >= 0) || Double.isInfinite(elboWeight)) {
            throw new IllegalArgumentException("ELBO weight must be finite and >= 0, got " + elboWeight);
        }
        if (!(singleMaskShare >= 0 && singleMaskShare <= 1)) {
            throw new IllegalArgumentException("single-mask share must be in [0, 1], got " + singleMaskShare);
        }
        if (!(multiMaskPolicyWeight >= 0 && multiMaskPolicyWeight <= 1)) {
            throw new IllegalArgumentException("multi-mask policy weight must be in [0, 1], got " + multiMaskPolicyWeight);
        }
        if (lrDecaySteps < 0) {
            throw new IllegalArgumentException("learning-rate decay steps must be >= 0, got " + lrDecaySteps);
        }
        if (timeWeighting == null) {
            throw new IllegalArgumentException("time weighting must be given");
        }
        if (!(logZAnchorWeight >= 0) || Double.isInfinite(logZAnchorWeight)) {
            throw new IllegalArgumentException("log-Z anchor weight must be finite and >= 0, got " + logZAnchorWeight);
        }
        if (residual == null) {
            throw new IllegalArgumentException("residual must be given");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings, to change one or two of them. */
    public Builder toBuilder() {
        return builder().optObjective(objective).optPolicyLearningRate(policyLearningRate)
                .optLogZLearningRate(logZLearningRate).optWarmupSteps(warmupSteps).optGradClip(gradClip)
                .optIsSamples(isSamples).optProposal(proposal).optElboWeight(elboWeight)
                .optSingleMaskShare(singleMaskShare).optTimeWeighting(timeWeighting)
                .optMultiMaskPolicyWeight(multiMaskPolicyWeight).optLrDecaySteps(lrDecaySteps).optResidual(residual)
                .optLogZAnchorWeight(logZAnchorWeight);
    }

    /** The learning-rate factor at {@code step} (0-based): 1, or on the way down to 0.1 over {@link #lrDecaySteps()}. */
    public double learningRateScale(long step) {
        if (lrDecaySteps == 0) {
            return 1.0;
        }
        return Math.max(0.1, 1.0 - 0.9 * step / (double) lrDecaySteps);
    }

    /** Builder with {@code opt*} setters; unset values keep the documented defaults. */
    public static final class Builder {
        private Objective objective = Objective.LB;
        private double policyLearningRate = 3e-4;
        private double logZLearningRate = 3e-3;
        private int warmupSteps = 200;
        private double gradClip = 1.0;
        private int isSamples = 16;
        private Proposal proposal = Proposal.POLICY;
        private double elboWeight = 0.0;
        private double singleMaskShare = 0.0;
        private TimeWeighting timeWeighting = TimeWeighting.UNIFORM;
        private double multiMaskPolicyWeight = 1.0;
        private int lrDecaySteps = 0;
        private Residual residual = Residual.POSITION;
        private double logZAnchorWeight = 0.0;

        public Builder optLogZAnchorWeight(double v) {
            logZAnchorWeight = v;
            return this;
        }

        public Builder optResidual(Residual v) {
            residual = v;
            return this;
        }

        public Builder optLrDecaySteps(int v) {
            lrDecaySteps = v;
            return this;
        }

        public Builder optMultiMaskPolicyWeight(double v) {
            multiMaskPolicyWeight = v;
            return this;
        }

        public Builder optElboWeight(double v) {
            elboWeight = v;
            return this;
        }

        public Builder optSingleMaskShare(double v) {
            singleMaskShare = v;
            return this;
        }

        public Builder optTimeWeighting(TimeWeighting v) {
            timeWeighting = v;
            return this;
        }

        public Builder optObjective(Objective v) {
            objective = v;
            return this;
        }

        public Builder optPolicyLearningRate(double v) {
            policyLearningRate = v;
            return this;
        }

        public Builder optLogZLearningRate(double v) {
            logZLearningRate = v;
            return this;
        }

        public Builder optWarmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder optGradClip(double v) {
            gradClip = v;
            return this;
        }

        public Builder optIsSamples(int v) {
            isSamples = v;
            return this;
        }

        public Builder optProposal(Proposal v) {
            proposal = v;
            return this;
        }

        public DdppConfig build() {
            return new DdppConfig(objective, policyLearningRate, logZLearningRate, warmupSteps, gradClip, isSamples, proposal,
                    elboWeight, singleMaskShare, timeWeighting, multiMaskPolicyWeight, lrDecaySteps, residual, logZAnchorWeight);
        }
    }
}

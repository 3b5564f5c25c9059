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
 */
public record DdppConfig(
        Objective objective,
        double policyLearningRate,
        double logZLearningRate,
        int warmupSteps,
        double gradClip,
        int isSamples,
        Proposal proposal) {

    public DdppConfig {
        if (!(policyLearningRate > 0) || !(logZLearningRate > 0)) {
            throw new IllegalArgumentException("learning rates must be positive");
        }
        if (warmupSteps < 0 || isSamples < 1) {
            throw new IllegalArgumentException("warm-up must be >= 0 and IS samples >= 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings, to change one or two of them. */
    public Builder toBuilder() {
        return builder().optObjective(objective).optPolicyLearningRate(policyLearningRate)
                .optLogZLearningRate(logZLearningRate).optWarmupSteps(warmupSteps).optGradClip(gradClip)
                .optIsSamples(isSamples).optProposal(proposal);
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
            return new DdppConfig(objective, policyLearningRate, logZLearningRate, warmupSteps, gradClip, isSamples, proposal);
        }
    }
}

package org.ddpp.trainer.offline;

import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.train.DdppConfig;

/**
 * Settings of the offline DDPP loop (the paper's algorithm in one process): a replay buffer refilled every
 * {@code refillEvery} steps with {@code refillSize} fresh samples, of which {@code explorationShare} come from the
 * exploration source (the pre-trained model or the prior data) and the rest from the current policy.
 *
 * @param ddpp loss and optimiser settings
 * @param logZShape architecture of the log-Z network; default d=64, 1 layer, 4 heads
 * @param steps fine-tuning steps; default 2000
 * @param batchSize samples per step; default 64
 * @param bufferCapacity replay buffer size; default 10 000
 * @param refillEvery steps between refills; default 50
 * @param refillSize samples added per refill; default 256
 * @param explorationShare share of each refill from the exploration source; default 0.5
 * @param exploreFromPrior true: exploration samples are prior data; false (default): the pre-trained model
 * @param samplerSteps steps of the ancestral sampler used for refills; default 64
 * @param logRewardFloor floor on log R; default −20
 * @param seed seed of sampling, masking and the log-Z network; default 11
 * @param logRewardFloorStart when above {@code logRewardFloor}: the floor the training batches start with, lowered
 *     linearly to {@code logRewardFloor} over the first half of the steps (better conditioned early, the exact
 *     target at the end); NaN (default) = the floor is {@code logRewardFloor} throughout
 */
public record FineTuneConfig(
        DdppConfig ddpp,
        NetworkShape logZShape,
        int steps,
        int batchSize,
        int bufferCapacity,
        int refillEvery,
        int refillSize,
        double explorationShare,
        boolean exploreFromPrior,
        int samplerSteps,
        double logRewardFloor,
        long seed,
        double logRewardFloorStart) {

    public FineTuneConfig {
        if (steps < 0 || batchSize < 1 || bufferCapacity < 1 || refillEvery < 1 || refillSize < 1 || samplerSteps < 1) {
            throw new IllegalArgumentException("fine-tune sizes must be positive");
        }
        if (!(explorationShare >= 0 && explorationShare <= 1)) {
            throw new IllegalArgumentException("exploration share must be in [0, 1], got " + explorationShare);
        }
    }

    /** These settings with another DDPP objective (e.g. IS next to LB in a comparison). */
    public FineTuneConfig withObjective(org.ddpp.diffusion.train.Objective objective) {
        return new FineTuneConfig(ddpp.toBuilder().optObjective(objective).build(), logZShape, steps, batchSize, bufferCapacity, refillEvery, refillSize,
                explorationShare, exploreFromPrior, samplerSteps, logRewardFloor, seed, logRewardFloorStart);
    }

    /**
     * The floor applied to the batch of {@code step} (0-based): {@code logRewardFloor}, or on the way down from
     * {@code logRewardFloorStart} during the first half of the steps.
     */
    public double floorAt(long step) {
        if (Double.isNaN(logRewardFloorStart) || logRewardFloorStart <= logRewardFloor) {
            return logRewardFloor;
        }
        double half = Math.max(1, steps / 2.0);
        double f = Math.min(1.0, step / half);
        return logRewardFloorStart + f * (logRewardFloor - logRewardFloorStart);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with documented defaults; every setting is optional. */
    public static final class Builder {
        private DdppConfig ddpp = DdppConfig.builder().build();
        private NetworkShape logZShape = NetworkShape.of(64, 1, 4);
        private int steps = 2000;
        private int batchSize = 64;
        private int bufferCapacity = 10_000;
        private int refillEvery = 50;
        private int refillSize = 256;
        private double explorationShare = 0.5;
        private boolean exploreFromPrior = false;
        private int samplerSteps = 64;
        private double logRewardFloor = LogRewardFloor.DEFAULT_FLOOR;
        private double logRewardFloorStart = Double.NaN;
        private long seed = 11L;

        public Builder optDdpp(DdppConfig v) {
            ddpp = v;
            return this;
        }

        public Builder optLogZShape(NetworkShape v) {
            logZShape = v;
            return this;
        }

        public Builder optSteps(int v) {
            steps = v;
            return this;
        }

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optBufferCapacity(int v) {
            bufferCapacity = v;
            return this;
        }

        public Builder optRefillEvery(int v) {
            refillEvery = v;
            return this;
        }

        public Builder optRefillSize(int v) {
            refillSize = v;
            return this;
        }

        public Builder optExplorationShare(double v) {
            explorationShare = v;
            return this;
        }

        public Builder optExploreFromPrior(boolean v) {
            exploreFromPrior = v;
            return this;
        }

        public Builder optSamplerSteps(int v) {
            samplerSteps = v;
            return this;
        }

        public Builder optLogRewardFloor(double v) {
            logRewardFloor = v;
            return this;
        }

        /** Anneal the floor from {@code v} down to the log-reward floor over the first half of the steps. */
        public Builder optLogRewardFloorStart(double v) {
            logRewardFloorStart = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public FineTuneConfig build() {
            return new FineTuneConfig(ddpp, logZShape, steps, batchSize, bufferCapacity, refillEvery, refillSize,
                    explorationShare, exploreFromPrior, samplerSteps, logRewardFloor, seed, logRewardFloorStart);
        }
    }
}

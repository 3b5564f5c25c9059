package org.ddpp.trainer.offline;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.SettingsBuilder;
import org.ddpp.trainer.learner.LearnerConfig;
import org.ddpp.trainer.learner.LearnerOptions;
import org.ddpp.trainer.learner.LearnerSetup;

/**
 * Settings of the offline DDPP loop (the paper's algorithm in one process): a replay buffer refilled every
 * {@code refillEvery} steps with {@code refillSize} fresh samples, of which {@code explorationShare} come from the
 * exploration source (the pre-trained model or the prior data) and the rest from the current policy. Built with
 * {@link #builder()}: the scalar settings are {@link FineTuneSettings#CONFIG} given through
 * {@code opt(setting, value)} (defaults and docs there); the DDPP config and the log-Z shape have their own
 * {@code opt*} ({@link LearnerOptions}).
 *
 * @param learner  DDPP loss and optimiser settings and the log-Z network's shape
 * @param settings the {@link FineTuneSettings#CONFIG} values
 */
public record FineTuneConfig(LearnerSetup learner, Settings settings) implements Configured, LearnerConfig {

    public FineTuneConfig {
        Objects.requireNonNull(learner, "learner");
        Objects.requireNonNull(settings, "settings");
    }



    public int steps() { return get(FineTuneSettings.STEPS); }

    public int batchSize() { return get(FineTuneSettings.BATCH_SIZE); }

    public int bufferCapacity() { return get(FineTuneSettings.BUFFER); }

    public int refillEvery() { return get(FineTuneSettings.REFILL_EVERY); }

    public int refillSize() { return get(FineTuneSettings.REFILL_SIZE); }

    public double explorationShare() { return get(FineTuneSettings.EXPLORATION_SHARE); }

    /** True: exploration samples are prior data; false (default): the pre-trained model. */
    public boolean exploreFromPrior() { return "prior".equals(get(FineTuneSettings.EXPLORE_FROM)); }

    public int samplerSteps() { return get(FineTuneSettings.SAMPLER_STEPS); }

    public double logRewardFloor() { return get(FineTuneSettings.LOG_REWARD_FLOOR); }

    public long seed() { return get(FineTuneSettings.SEED); }

    /**
     * When above {@code logRewardFloor}: the floor the training batches start with, lowered linearly to
     * {@code logRewardFloor} over the first half of the steps (better conditioned early, the exact target at the end);
     * NaN (default) = the floor is {@code logRewardFloor} throughout.
     */
    public double logRewardFloorStart() {
        Double start = get(FineTuneSettings.LOG_REWARD_FLOOR_START);
        return start == null ? Double.NaN : start;
    }

    /** These settings with another DDPP objective (e.g. IS next to LB in a comparison). */
    public FineTuneConfig withObjective(org.ddpp.diffusion.train.Objective objective) {
        return new FineTuneConfig(learner.withDdpp(ddpp().toBuilder().optObjective(objective).build()), settings);
    }

    /**
     * The floor applied to the batch of {@code step} (0-based): {@code logRewardFloor}, or on the way down from
     * {@code logRewardFloorStart} during the first half of the steps.
     */
    public double floorAt(long step) {
        double floor = logRewardFloor();
        double start = logRewardFloorStart();
        if (Double.isNaN(start) || start <= floor) {
            return floor;
        }
        double half = Math.max(1, steps() / 2.0);
        double f = Math.min(1.0, step / half);
        return start + f * (floor - start);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with documented defaults; every setting is optional. */
    public static final class Builder extends SettingsBuilder<Builder> implements LearnerOptions<Builder> {
        private LearnerSetup learner = LearnerSetup.defaults();

        @Override
        public Builder learner(UnaryOperator<LearnerSetup> change) {
            learner = change.apply(learner);
            return this;
        }

        public FineTuneConfig build() {
            return new FineTuneConfig(learner, settings());
        }
    }
}

package org.ddpp.trainer.online;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.RunConfigBuilder;
import org.ddpp.trainer.learner.LearnerConfig;
import org.ddpp.trainer.learner.LearnerOptions;
import org.ddpp.trainer.learner.LearnerSetup;

/**
 * Settings of the online (Kafka) trainer. Required ({@code set*}): run id, Kafka and registry addresses, the
 * pre-trained checkpoint and the trainer's state directory; the scalar settings are {@link TrainerSettings} given
 * through {@code opt(setting, value)} (defaults and docs there); DDPP, log-Z shape ({@link LearnerOptions}) and
 * meter registry have their own {@code opt*}.
 *
 * @param run run id; only scored candidates of this run are trained on
 * @param connection Kafka (with its client security settings), registry and topic names
 * @param pretrained the run's pre-trained checkpoint (policy version 0 and the frozen reference)
 * @param stateDir where the trainer keeps its checkpoint ({@code stateDir/checkpoint}) and published weights
 *     ({@code stateDir/policies})
 * @param learner DDPP-LB settings (objective must be LB: IS needs reward calls the stream cannot make) and the
 *     log-Z network's shape (default {@link LearnerSetup#DEFAULT_LOGZ_SHAPE})
 * @param settings the {@link TrainerSettings} values. {@code fresh-per-step}: how many new scored candidates the
 *     trainer takes in per DDPP step once the buffer holds {@code initial-fill}; 0 = as many as arrive. Reading no
 *     faster than training needs leaves the rest in Kafka, so the samplers' flow control pauses them and the CPU goes
 *     to training (the offline loop refills about 5 per step)
 * @param meterRegistry where the trainer's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record OnlineTrainerConfig(
        String run,
        ClusterConnection connection,
        Path pretrained,
        Path stateDir,
        LearnerSetup learner,
        Settings settings,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) implements Configured, LearnerConfig {

    public OnlineTrainerConfig {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(pretrained, "pretrained");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(settings, "settings");
        int batchSize = settings.get(TrainerSettings.BATCH_SIZE);
        int initialFill = settings.get(TrainerSettings.INITIAL_FILL);
        if (settings.get(TrainerSettings.FRESH_PER_STEP) > 0 && initialFill < batchSize) {
            // the intake allowance grows only with steps, and no step runs before a batch is in the buffer
            throw new IllegalArgumentException("initial fill (" + initialFill + ") must be at least the batch size ("
                    + batchSize + "), or the trainer waits forever for its first batch");
        }
        if (learner.ddpp().objective() != org.ddpp.diffusion.train.Objective.LB) {
            throw new IllegalArgumentException("the online trainer runs DDPP-LB only (IS needs reward calls per step, KL a differentiable in-process reward)");
        }
    }



    /** Where the policy, the reference and log Z live ({@code --device}). */
    public org.ddpp.diffusion.DeviceChoice device() {
        return org.ddpp.diffusion.DeviceChoice.parse(get(org.ddpp.runtime.config.RoleSettings.DEVICE));
    }

    public Path checkpointDir() {
        return stateDir.resolve("checkpoint");
    }

    public Path policyDir() {
        return stateDir.resolve("policies").resolve(run);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code set*} for required settings, {@code opt*} for the rest. */
    public static final class Builder extends RunConfigBuilder<Builder> implements LearnerOptions<Builder> {
        private Path stateDir;
        private LearnerSetup learner = LearnerSetup.defaults();

        public Builder setStateDir(Path v) {
            stateDir = v;
            return this;
        }

        @Override
        public Builder learner(UnaryOperator<LearnerSetup> change) {
            learner = change.apply(learner);
            return this;
        }

        public OnlineTrainerConfig build() {
            return new OnlineTrainerConfig(run(), connection(), pretrained(), stateDir, learner, settings(), meterRegistry());
        }
    }

    /**
     * The trainer's consumer group on the rewards topic: {@code ddpp-trainer-<run>}, renamed like the topics. The
     * samplers' flow control reads its committed offsets through the same rule.
     */
    public String groupId() {
        return connection.topics().trainerGroup(run);
    }
}

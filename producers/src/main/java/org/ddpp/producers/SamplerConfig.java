package org.ddpp.producers;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.RunConfigBuilder;
import org.ddpp.schemas.avro.CandidateSource;

/**
 * Everything one sampler needs, typed and validated, so the command line, the demo and tests configure a
 * {@link SamplerService} the same way. Build with {@link #builder()}: {@code set*} are required, the scalar
 * settings are {@link SamplerSettings} given through {@code opt(setting, value)} (defaults and docs there), the
 * source and the meter registry have their own {@code opt*}.
 *
 * @param run           run id: the sampler follows this run's policy versions and tags candidates with it
 * @param connection    Kafka (with its client security settings), registry and topic names
 * @param pretrained    the run's pre-trained checkpoint directory (policy version 0, and the architecture)
 * @param samplerId     id of this sampler instance, written into every candidate and metrics record
 * @param source        POLICY follows the newest policy, PRETRAINED is pinned to version 0, REPLAY publishes
 *                      prior data of the task
 * @param seed          base seed; batch k is sampled with the k-th seed drawn from it (recorded per candidate)
 * @param downloadDir   where downloaded weights wait while they are verified and loaded
 * @param settings      the {@link SamplerSettings} values
 * @param meterRegistry where the sampler's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record SamplerConfig(
        String run,
        ClusterConnection connection,
        Path pretrained,
        String samplerId,
        CandidateSource source,
        long seed,
        Path downloadDir,
        Settings settings,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) implements Configured {


    /** The topic names of this pipeline. */
    public TopicNames topics() {
        return connection.topics();
    }

    /**
     * The trainer's consumer group on the rewards topic, read for flow control; the same rule as the trainer's
     * ({@link TopicNames#trainerGroup}), so the two cannot disagree.
     */
    public String trainerGroupId() {
        return connection.topics().trainerGroup(run);
    }

    /** Where the sampled model lives ({@code --device}). */
    public org.ddpp.diffusion.DeviceChoice device() {
        return org.ddpp.diffusion.DeviceChoice.parse(get(org.ddpp.runtime.config.RoleSettings.DEVICE));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this sampler follows new policy versions (source POLICY). */
    public boolean follows() {
        return source == CandidateSource.POLICY;
    }

    /** Collects and validates a {@link SamplerConfig}. */
    public static final class Builder extends RunConfigBuilder<Builder> {
        private CandidateSource source = CandidateSource.POLICY;

        private Builder() {}

        /** Candidate source; default POLICY (follow the newest policy). */
        public Builder optSource(CandidateSource v) {
            source = v;
            return this;
        }

        /** Pinned to the pre-trained model (source PRETRAINED) when true; same as {@code optSource}. */
        public Builder optPinned(boolean pinned) {
            source = pinned ? CandidateSource.PRETRAINED : CandidateSource.POLICY;
            return this;
        }

        public SamplerConfig build() {
            String run = run();
            Path pretrained = pretrained();
            if (run == null || run.isBlank()) {
                throw new IllegalArgumentException("run is required");
            }
            Objects.requireNonNull(connection(), "connection() is required");
            Objects.requireNonNull(pretrained, "pre-trained checkpoint directory is required");
            Objects.requireNonNull(source, "source");
            String samplerId = settings().get(SamplerSettings.SAMPLER_ID);
            String id = samplerId != null && !samplerId.isBlank() ? samplerId
                    : run + "-" + source.name().toLowerCase(Locale.ROOT) + "-"
                            + HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
            Long seed = settings().get(SamplerSettings.SEED);
            long baseSeed = seed != null ? seed : new SplittableRandom().nextLong();
            Path downloadDir = settings().get(SamplerSettings.DOWNLOAD_DIR);
            Path downloads = downloadDir != null ? downloadDir : Path.of(System.getProperty("java.io.tmpdir"));
            return new SamplerConfig(run, connection(), pretrained, id, source, baseSeed, downloads, settings(), meterRegistry());
        }
    }
}

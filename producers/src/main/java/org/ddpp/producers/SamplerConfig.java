package org.ddpp.producers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.CandidateSource;

/**
 * Everything one sampler needs, typed and validated, so the command line, the demo and tests configure a
 * {@link SamplerService} the same way. Build with {@link #builder()}: {@code set*} are required, {@code opt*} have
 * the defaults documented on each method (and in the {@code DEFAULT_*} constants).
 *
 * @param run                run id: the sampler follows this run's policy versions and tags candidates with it
 * @param connection         Kafka (with its client security settings), registry and topic names
 * @param pretrained         the run's pre-trained checkpoint directory (policy version 0, and the architecture)
 * @param samplerId          id of this sampler instance, written into every candidate and metrics record
 * @param source             POLICY follows the newest policy, PRETRAINED is pinned to version 0, REPLAY publishes
 *                           prior data of the task
 * @param batchSize          sequences per sampling call
 * @param samplerSteps       steps T of the cached ancestral sampler
 * @param seed               base seed; batch k is sampled with the k-th seed drawn from it (recorded per candidate)
 * @param maxOutstanding     flow-control bound on candidates published but not yet consumed by the trainer;
 *                           0 switches flow control off
 * @param flowRefresh        how often the outstanding count is re-read from the brokers
 * @param maxStaleVersions   a following sampler never publishes a batch sampled from a version more than this many
 *                           versions behind the newest announced (not rejected) one
 * @param metricsInterval    how often a {@code Metrics} record is published (and a progress line logged)
 * @param fetchConnectTimeout connect timeout of an http weights download
 * @param fetchTimeout       total time allowed for one weights download
 * @param downloadDir        where downloaded weights wait while they are verified and loaded
 * @param maxCandidates      stop after publishing this many candidates; 0 means never
 * @param startupTimeout     how long {@code start} waits for Kafka and the schema registry before failing
 * @param meterRegistry      where the sampler's meters go (a {@code /metrics} endpoint's registry); null = its own
 * @param allowFileWeights   also accept {@code file:} weight URIs and absolute paths (a shared file system)
 * @param maxWeightsBytes    largest weights file the sampler downloads
 */
public record SamplerConfig(
        String run,
        ClusterConnection connection,
        Path pretrained,
        String samplerId,
        CandidateSource source,
        int batchSize,
        int samplerSteps,
        long seed,
        long maxOutstanding,
        Duration flowRefresh,
        int maxStaleVersions,
        Duration metricsInterval,
        Duration fetchConnectTimeout,
        Duration fetchTimeout,
        Path downloadDir,
        long maxCandidates,
        Duration startupTimeout,
        io.micrometer.core.instrument.MeterRegistry meterRegistry,
        boolean allowFileWeights,
        long maxWeightsBytes) {

    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_SAMPLER_STEPS = 64;
    public static final long DEFAULT_MAX_OUTSTANDING = 2048;
    public static final Duration DEFAULT_FLOW_REFRESH = Duration.ofMillis(300);
    public static final int DEFAULT_MAX_STALE_VERSIONS = 2;
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FETCH_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = StartupCheck.DEFAULT_TIMEOUT;

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

    public static Builder builder() {
        return new Builder();
    }

    /** True when this sampler follows new policy versions (source POLICY). */
    public boolean follows() {
        return source == CandidateSource.POLICY;
    }

    /** Collects and validates a {@link SamplerConfig}. */
    public static final class Builder {
        private String run;
        private ClusterConnection connection;
        private Path pretrained;
        private String samplerId;
        private CandidateSource source = CandidateSource.POLICY;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int samplerSteps = DEFAULT_SAMPLER_STEPS;
        private Long seed;
        private long maxOutstanding = DEFAULT_MAX_OUTSTANDING;
        private Duration flowRefresh = DEFAULT_FLOW_REFRESH;
        private int maxStaleVersions = DEFAULT_MAX_STALE_VERSIONS;
        private Duration metricsInterval = DEFAULT_METRICS_INTERVAL;
        private Duration fetchConnectTimeout = DEFAULT_FETCH_CONNECT_TIMEOUT;
        private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
        private Path downloadDir;
        private long maxCandidates;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;
        private boolean allowFileWeights;
        private long maxWeightsBytes = PolicyFetcher.DEFAULT_MAX_BYTES;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder() {}

        /** Run id (required). */
        public Builder setRun(String v) {
            run = v;
            return this;
        }

        /** Kafka, registry and topic names (required). */
        public Builder setConnection(ClusterConnection v) {
            connection = v;
            return this;
        }

        /** The run's pre-trained checkpoint directory (required). */
        public Builder setPretrained(Path v) {
            pretrained = v;
            return this;
        }

        /** Sampler instance id; default {@code <run>-<source>-<8 random hex digits>}. */
        public Builder optSamplerId(String v) {
            samplerId = v;
            return this;
        }

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

        /** Sequences per sampling call; default 64. */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Ancestral sampler steps; default 64. */
        public Builder optSamplerSteps(int v) {
            samplerSteps = v;
            return this;
        }

        /** Base seed; default drawn at random when the config is built (and logged by the service). */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Flow-control bound on outstanding candidates; default 2048; 0 switches flow control off. */
        public Builder optMaxOutstanding(long v) {
            maxOutstanding = v;
            return this;
        }

        /** How often outstanding work is re-read from the brokers; default 300 ms. */
        public Builder optFlowRefresh(Duration v) {
            flowRefresh = v;
            return this;
        }

        /** Staleness bound in policy versions; default 2. */
        public Builder optMaxStaleVersions(int v) {
            maxStaleVersions = v;
            return this;
        }

        /** Metrics publication interval; default 5 s. */
        public Builder optMetricsInterval(Duration v) {
            metricsInterval = v;
            return this;
        }

        /** Connect timeout of http downloads; default 5 s. */
        public Builder optFetchConnectTimeout(Duration v) {
            fetchConnectTimeout = v;
            return this;
        }

        /** Total time allowed for one weights download; default 60 s. */
        public Builder optFetchTimeout(Duration v) {
            fetchTimeout = v;
            return this;
        }

        /** Directory for downloads being verified; default {@code java.io.tmpdir}. */
        public Builder optDownloadDir(Path v) {
            downloadDir = v;
            return this;
        }

        /** Stop after this many candidates; default 0 (run until closed). */
        public Builder optMaxCandidates(long v) {
            maxCandidates = v;
            return this;
        }

        /** Accept {@code file:} weight URIs and absolute paths too; default false (http and https only). */
        public Builder optAllowFileWeights(boolean v) {
            allowFileWeights = v;
            return this;
        }

        /** Largest weights file downloaded; default {@link PolicyFetcher#DEFAULT_MAX_BYTES} (1 GiB). */
        public Builder optMaxWeightsBytes(long v) {
            maxWeightsBytes = v;
            return this;
        }

        /** Registry of the role's {@code /metrics} endpoint; default: a private in-memory one. */
        public Builder optMeterRegistry(io.micrometer.core.instrument.MeterRegistry v) {
            meterRegistry = v;
            return this;
        }

        /** How long start-up waits for Kafka and the schema registry; default 15 s. */
        public Builder optStartupTimeout(Duration v) {
            startupTimeout = v;
            return this;
        }

        public SamplerConfig build() {
            require(run, "run");
            Objects.requireNonNull(connection, "connection is required");
            Objects.requireNonNull(pretrained, "pre-trained checkpoint directory is required");
            Objects.requireNonNull(source, "source");
            positive(batchSize, "batch size");
            positive(samplerSteps, "sampler steps");
            if (maxOutstanding < 0) {
                throw new IllegalArgumentException("max outstanding must be >= 0 (0 = no flow control), got " + maxOutstanding);
            }
            if (maxStaleVersions < 0) {
                throw new IllegalArgumentException("max stale versions must be >= 0, got " + maxStaleVersions);
            }
            if (maxCandidates < 0) {
                throw new IllegalArgumentException("max candidates must be >= 0 (0 = unlimited), got " + maxCandidates);
            }
            positive(flowRefresh, "flow refresh");
            positive(metricsInterval, "metrics interval");
            positive(fetchConnectTimeout, "fetch connect timeout");
            positive(fetchTimeout, "fetch timeout");
            positive(startupTimeout, "startup timeout");
            if (maxWeightsBytes < 1) {
                throw new IllegalArgumentException("max weights size must be >= 1 byte, got " + maxWeightsBytes);
            }
            String id = samplerId != null && !samplerId.isBlank() ? samplerId
                    : run + "-" + source.name().toLowerCase(Locale.ROOT) + "-"
                            + HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
            long baseSeed = seed != null ? seed : new SplittableRandom().nextLong();
            Path downloads = downloadDir != null ? downloadDir : Path.of(System.getProperty("java.io.tmpdir"));
            return new SamplerConfig(run, connection, pretrained, id, source, batchSize, samplerSteps, baseSeed,
                    maxOutstanding, flowRefresh, maxStaleVersions, metricsInterval, fetchConnectTimeout, fetchTimeout,
                    downloads, maxCandidates, startupTimeout, meterRegistry, allowFileWeights, maxWeightsBytes);
        }

        private static void require(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " is required");
            }
        }

        private static void positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
        }

        private static void positive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be a positive duration, got " + value);
            }
        }
    }
}

package org.ddpp.trainer.online;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.diffusion.train.DdppConfig;

/**
 * Settings of the online (Kafka) trainer. Required: run id, Kafka and registry addresses, the pre-trained
 * checkpoint and the trainer's state directory; everything else has a documented default.
 *
 * @param run run id; only scored candidates of this run are trained on
 * @param connection Kafka (with its client security settings), registry and topic names
 * @param pretrained the run's pre-trained checkpoint (policy version 0 and the frozen reference)
 * @param stateDir where the trainer keeps its checkpoint ({@code stateDir/checkpoint}) and published weights
 *     ({@code stateDir/policies})
 * @param ddpp DDPP-LB settings (objective must be LB: IS needs reward calls the stream cannot make)
 * @param logZShape log-Z network architecture; default d=64, 1 layer, 4 heads
 * @param batchSize samples per DDPP step; default 64
 * @param bufferCapacity capacity of each replay buffer (policy and exploration); default 10 000
 * @param explorationShare share of each batch drawn from exploration candidates (pinned to the pre-trained
 *     model or replayed prior data); default 0.5
 * @param publishEvery steps between published policy versions; default 50
 * @param checkpointEvery steps between checkpoints (offsets included); default 200
 * @param maxSteps stop after this many steps in total; 0 = run until stopped; default 0
 * @param freshPerStep how many new scored candidates the trainer takes in per DDPP step once the buffer holds
 *     {@code initialFill}; 0 = as many as arrive. Reading no faster than training needs leaves the rest in Kafka, so
 *     the samplers' flow control pauses them and the CPU goes to training; default 16 (the offline loop refills
 *     about 5 per step)
 * @param initialFill new candidates taken in before the per-step allowance applies; default 1024
 * @param metricsInterval how often a Metrics record is published; default 2 s
 * @param httpHost host the weights server binds and advertises; default 127.0.0.1
 * @param httpPort port of the weights server; 0 = the previous run's port (kept in the state directory) when free, else any free port; default 0
 * @param keepVersions published weight files kept on disk; default 5
 * @param seed seed of batch sampling, masking and the log-Z network; default 11
 * @param meterRegistry where the trainer's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record OnlineTrainerConfig(
        String run,
        ClusterConnection connection,
        Path pretrained,
        Path stateDir,
        DdppConfig ddpp,
        NetworkShape logZShape,
        int batchSize,
        int bufferCapacity,
        double explorationShare,
        int publishEvery,
        int checkpointEvery,
        long maxSteps,
        int freshPerStep,
        int initialFill,
        Duration metricsInterval,
        String httpHost,
        int httpPort,
        int keepVersions,
        long seed,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) {

    public OnlineTrainerConfig {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(pretrained, "pretrained");
        Objects.requireNonNull(stateDir, "stateDir");
        if (batchSize < 1 || bufferCapacity < 1 || publishEvery < 1 || checkpointEvery < 1 || keepVersions < 1 || maxSteps < 0
                || freshPerStep < 0 || initialFill < 0) {
            throw new IllegalArgumentException("trainer sizes and intervals must be positive");
        }
        if (freshPerStep > 0 && initialFill < batchSize) {
            // the intake allowance grows only with steps, and no step runs before a batch is in the buffer
            throw new IllegalArgumentException("initial fill (" + initialFill + ") must be at least the batch size ("
                    + batchSize + "), or the trainer waits forever for its first batch");
        }
        if (!(explorationShare >= 0 && explorationShare <= 1)) {
            throw new IllegalArgumentException("exploration share must be in [0, 1], got " + explorationShare);
        }
        if (ddpp.objective() != org.ddpp.diffusion.train.Objective.LB) {
            throw new IllegalArgumentException("the online trainer runs DDPP-LB only (IS needs reward calls per step)");
        }
    }

    /** Default steps between published policy versions: 50. */
    public static final int DEFAULT_PUBLISH_EVERY = 50;
    /** Default steps between checkpoints: 200. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 200;

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
    public static final class Builder {
        private String run;
        private ClusterConnection connection;
        private Path pretrained;
        private Path stateDir;
        private DdppConfig ddpp = DdppConfig.builder().build();
        private NetworkShape logZShape = NetworkShape.of(64, 1, 4);
        private int batchSize = 64;
        private int bufferCapacity = 10_000;
        private double explorationShare = 0.5;
        private int publishEvery = DEFAULT_PUBLISH_EVERY;
        private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private long maxSteps;
        private int freshPerStep = 16;
        private int initialFill = 1024;
        private Duration metricsInterval = Duration.ofSeconds(2);
        private String httpHost = "127.0.0.1";
        private int httpPort;
        private int keepVersions = 5;
        private long seed = 11L;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;

        public Builder setRun(String v) {
            run = v;
            return this;
        }

        /** Kafka, registry and topic names (required). */
        public Builder setConnection(ClusterConnection v) {
            connection = v;
            return this;
        }

        public Builder setPretrained(Path v) {
            pretrained = v;
            return this;
        }

        public Builder setStateDir(Path v) {
            stateDir = v;
            return this;
        }

        public Builder optDdpp(DdppConfig v) {
            ddpp = v;
            return this;
        }

        public Builder optLogZShape(NetworkShape v) {
            logZShape = v;
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

        public Builder optExplorationShare(double v) {
            explorationShare = v;
            return this;
        }

        public Builder optPublishEvery(int v) {
            publishEvery = v;
            return this;
        }

        public Builder optCheckpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder optMaxSteps(long v) {
            maxSteps = v;
            return this;
        }

        public Builder optFreshPerStep(int v) {
            freshPerStep = v;
            return this;
        }

        public Builder optInitialFill(int v) {
            initialFill = v;
            return this;
        }

        public Builder optMetricsInterval(Duration v) {
            metricsInterval = v;
            return this;
        }

        public Builder optHttpHost(String v) {
            httpHost = v;
            return this;
        }

        public Builder optHttpPort(int v) {
            httpPort = v;
            return this;
        }

        public Builder optKeepVersions(int v) {
            keepVersions = v;
            return this;
        }

        /** Registry of the role's {@code /metrics} endpoint; default: a private in-memory one. */
        public Builder optMeterRegistry(io.micrometer.core.instrument.MeterRegistry v) {
            meterRegistry = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public OnlineTrainerConfig build() {
            return new OnlineTrainerConfig(run, connection, pretrained, stateDir, ddpp, logZShape, batchSize, bufferCapacity,
                    explorationShare, publishEvery, checkpointEvery, maxSteps, freshPerStep, initialFill, metricsInterval,
                    httpHost, httpPort,
                    keepVersions, seed, meterRegistry);
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

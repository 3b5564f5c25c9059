package org.ddpp.scorers.joiner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.scorers.reward.RewardComposition;

/**
 * Settings of the {@link RewardJoiner}. Built with {@link #builder()}: {@code set*} values are required, every
 * {@code opt*} has the default named by its constant.
 *
 * @param connection        Kafka, registry and topic names (shared by every role)
 * @param applicationId     Kafka Streams application id (consumer group, transactional ids, internal topics),
 *                          renamed like the topics
 * @param composition       required scorers, weights and log-reward floor
 * @param joinTimeout       how long (wall clock) a candidate waits for its required scores before it is
 *                          dead-lettered; also how long scores wait for a candidate that never comes
 * @param settledCapacity   settled candidate ids each stream task remembers exactly (about 100 bytes each in the
 *                          store and its changelog), so that a late score is dropped as late and a candidate
 *                          record that comes again is dead-lettered as a duplicate however late it comes. Beyond
 *                          them a duplicate candidate record is still recognised (by its sampler's horizon, see
 *                          {@link SettledIndex}), but a score for a candidate settled more than this many
 *                          settlements ago on its partition is taken for an orphan (dead letter
 *                          {@code joiner:orphan-score}). Larger: a longer exact memory, more disk and restore time
 * @param punctuateInterval how often (wall clock) timeouts are checked
 * @param metricsInterval   how often metrics are published
 * @param streamThreads     Kafka Streams threads
 * @param stateDir          Kafka Streams state directory
 * @param inMemoryState     keep the join state in memory (restored from the changelog) instead of RocksDB
 * @param meterRegistry     where the joiner's meters go (a {@code /metrics} endpoint's registry); null = its own
 * @param transactionCheck  how often the joiner looks for hanging transactions on the partitions it reads and
 *                          writes (scores, candidates, rewards, dead letters, its changelogs, the group offsets) and
 *                          aborts them ({@link org.ddpp.runtime.TransactionWatchdog}); zero turns the check off
 */
public record JoinerConfig(
        ClusterConnection connection,
        String applicationId,
        RewardComposition composition,
        Duration joinTimeout,
        long settledCapacity,
        Duration punctuateInterval,
        Duration metricsInterval,
        int streamThreads,
        Path stateDir,
        boolean inMemoryState,
        io.micrometer.core.instrument.MeterRegistry meterRegistry,
        Duration transactionCheck) {

    public static final String DEFAULT_APPLICATION_ID = "ddpp-joiner";
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** About two hours of a 4-partition pipeline at 250 candidates/s; about 50 MB per task. */
    public static final long DEFAULT_SETTLED_CAPACITY = 500_000;
    public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_STREAM_THREADS = 1;
    /** A hanging transaction is found within two checks, so within a minute. */
    public static final Duration DEFAULT_TRANSACTION_CHECK = Duration.ofSeconds(30);
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "ddpp-joiner-state");

    public JoinerConfig {
        Objects.requireNonNull(connection, "connection is required");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(stateDir, "stateDir");
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be blank");
        }
        positive("join timeout", joinTimeout);
        if (settledCapacity < 1) {
            throw new IllegalArgumentException("settled capacity must be at least 1, got " + settledCapacity);
        }
        positive("punctuate interval", punctuateInterval);
        positive("metrics interval", metricsInterval);
        if (transactionCheck == null || transactionCheck.isNegative()) {
            throw new IllegalArgumentException("hanging-transaction check interval must be zero (off) or positive, got " + transactionCheck);
        }
        if (streamThreads <= 0) {
            throw new IllegalArgumentException("stream threads must be positive, got " + streamThreads);
        }
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    /** The topic names of this pipeline. */
    public TopicNames topics() {
        return connection.topics();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link JoinerConfig}. */
    public static final class Builder {
        private ClusterConnection connection;
        private String applicationId = DEFAULT_APPLICATION_ID;
        private RewardComposition composition = RewardComposition.defaults();
        private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
        private long settledCapacity = DEFAULT_SETTLED_CAPACITY;
        private Duration punctuateInterval = DEFAULT_PUNCTUATE_INTERVAL;
        private Duration metricsInterval = DEFAULT_METRICS_INTERVAL;
        private int streamThreads = DEFAULT_STREAM_THREADS;
        private Path stateDir = DEFAULT_STATE_DIR;
        private boolean inMemoryState;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;
        private Duration transactionCheck = DEFAULT_TRANSACTION_CHECK;

        /** Kafka, registry and topic names (required). */
        public Builder setConnection(ClusterConnection v) { this.connection = v; return this; }
        public Builder optApplicationId(String v) { this.applicationId = v; return this; }
        /** Default: {@link RewardComposition#defaults()}. */
        public Builder optComposition(RewardComposition v) { this.composition = v; return this; }
        public Builder optJoinTimeout(Duration v) { this.joinTimeout = v; return this; }
        /** Default {@link #DEFAULT_SETTLED_CAPACITY}. */
        public Builder optSettledCapacity(long v) { this.settledCapacity = v; return this; }
        public Builder optPunctuateInterval(Duration v) { this.punctuateInterval = v; return this; }
        public Builder optMetricsInterval(Duration v) { this.metricsInterval = v; return this; }
        public Builder optStreamThreads(int v) { this.streamThreads = v; return this; }
        public Builder optStateDir(Path v) { this.stateDir = v; return this; }
        public Builder optInMemoryState(boolean v) { this.inMemoryState = v; return this; }
        /** Registry of the role's {@code /metrics} endpoint; default: a private in-memory one. */
        public Builder optMeterRegistry(io.micrometer.core.instrument.MeterRegistry v) { this.meterRegistry = v; return this; }

        /** Default {@link #DEFAULT_TRANSACTION_CHECK}; zero turns the hanging-transaction check off. */
        public Builder optTransactionCheck(Duration v) { this.transactionCheck = v; return this; }

        public JoinerConfig build() {
            Objects.requireNonNull(connection, "connection is required");
            return new JoinerConfig(connection, connection.topics().joinerApplicationId(applicationId), composition,
                    joinTimeout, settledCapacity, punctuateInterval, metricsInterval, streamThreads, stateDir, inMemoryState, meterRegistry, transactionCheck);
        }
    }
}

package org.ddpp.scorers.joiner;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.RoleConfigBuilder;
import org.ddpp.scorers.reward.RewardComposition;

/**
 * Settings of the {@link RewardJoiner}. Built with {@link #builder()}: {@code set*} values are required, the
 * scalar ones are {@link JoinerSettings} given through {@code opt(setting, value)} (each with its documented default),
 * the others have named {@code opt*} methods.
 *
 * @param connection    Kafka, registry and topic names (shared by every role)
 * @param composition   required scorers, weights and log-reward floor
 * @param settings      the {@link JoinerSettings} values
 * @param meterRegistry where the joiner's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record JoinerConfig(ClusterConnection connection, RewardComposition composition, Settings settings,
        MeterRegistry meterRegistry) implements Configured {

    public JoinerConfig {
        Objects.requireNonNull(connection, "connection is required");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(settings, "settings");
    }


    /** The topic names of this pipeline. */
    public TopicNames topics() {
        return connection.topics();
    }

    /** Kafka Streams application id, renamed like the topics. */
    public String applicationId() {
        return connection.topics().joinerApplicationId(get(JoinerSettings.APPLICATION_ID));
    }

    public Duration joinTimeout() { return get(JoinerSettings.JOIN_TIMEOUT); }

    /**
     * Settled candidate ids each stream task remembers exactly (about 100 bytes each in the store and its
     * changelog), so that a late score is dropped as late and a candidate record that comes again is dead-lettered
     * as a duplicate however late it comes. Beyond them a duplicate candidate record is still recognised (by its
     * sampler's horizon, see {@link SettledIndex}), but a score for a candidate settled more than this many
     * settlements ago on its partition is taken for an orphan (dead letter {@code joiner:orphan-score}). Larger: a
     * longer exact memory, more disk and restore time.
     */
    public long settledCapacity() { return get(JoinerSettings.SETTLED_CAPACITY); }

    public Duration punctuateInterval() { return get(JoinerSettings.PUNCTUATE_INTERVAL); }

    /**
     * How often the joiner looks for hanging transactions on the partitions it reads and writes (scores, candidates,
     * rewards, dead letters, its changelogs, the group offsets) and aborts them
     * ({@link org.ddpp.runtime.TransactionWatchdog}); zero turns the check off.
     */
    public Duration transactionCheck() { return get(JoinerSettings.TRANSACTION_CHECK); }

    public Duration metricsInterval() { return get(JoinerSettings.METRICS_INTERVAL); }

    public int streamThreads() { return get(JoinerSettings.STREAM_THREADS); }

    public Path stateDir() { return get(JoinerSettings.STATE_DIR); }

    public boolean inMemoryState() { return get(JoinerSettings.IN_MEMORY_STATE); }

    /** Native memory bound of the RocksDB state of this process, in bytes ({@link BoundedStateMemory}). */
    public long stateMemoryBytes() { return get(JoinerSettings.STATE_MEMORY_MB) * (1L << 20); }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link JoinerConfig}. */
    public static final class Builder extends RoleConfigBuilder<Builder> {
        private RewardComposition composition = RewardComposition.defaults();

        /** Default: {@link RewardComposition#defaults()}. */
        public Builder optComposition(RewardComposition v) { this.composition = v; return this; }

        public JoinerConfig build() {
            return new JoinerConfig(connection(), composition, settings(), meterRegistry());
        }
    }
}

package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.RewardComposition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ddpp joiner}: the reward joiner (Kafka Streams, exactly_once_v2): candidates + required scores →
 * {@code ddpp.rewards}, or {@code ddpp.dlq} with the reason; stops cleanly on SIGTERM.
 */
@Command(name = "joiner", mixinStandardHelpOptions = true,
        description = {"Join ddpp.candidates with the ddpp.scores of every required scorer and write each candidate "
                + "exactly once: to ddpp.rewards with log R = max(floor, sum_k w_k * log R_k), or to ddpp.dlq when a "
                + "required score is FAILED, INVALID or missing after the timeout. Scores of other scorers are ignored."})
public final class JoinerCommand implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Mixin RewardOptions reward;

    @Option(names = "--join-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Wall-clock wait for a candidate's required scores before it is dead-lettered (default: ${DEFAULT-VALUE}).")
    Duration joinTimeout;

    @Option(names = "--settled-capacity", defaultValue = "" + JoinerConfig.DEFAULT_SETTLED_CAPACITY,
            description = "Settled candidate ids remembered per partition (about 100 bytes each), so that late scores are "
                    + "dropped and repeated candidates dead-lettered however late they come; a score for a candidate settled "
                    + "more than this many settlements ago on its partition is dead-lettered as an orphan instead "
                    + "(default: ${DEFAULT-VALUE}).")
    long settledCapacity;

    @Option(names = "--transaction-check", defaultValue = "30s", converter = DurationConverter.class,
            description = "How often the joiner looks for hanging transactions (open on a partition, never to be ended by "
                    + "their coordinator, so every read_committed reader stops there) on the partitions it reads and writes, "
                    + "and aborts them; needs ALTER on the cluster, else it logs the kafka-transactions.sh command; 0s: off "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration transactionCheck;

    @Option(names = "--punctuate-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often timeouts are checked (default: ${DEFAULT-VALUE}).")
    Duration punctuateInterval;

    @Option(names = "--metrics-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often metrics go to ddpp.metrics (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Option(names = "--application-id", defaultValue = JoinerConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--threads", defaultValue = "1", description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--state-dir", defaultValue = "runs/joiner-state",
            description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--in-memory-state",
            description = "Keep the join state in memory (restored from its changelog on start) instead of RocksDB.")
    boolean inMemoryState;

    @Override
    public Integer call() throws Exception {
        ClusterConnection cluster = connection.connection();
        RewardComposition composition = reward.composition(RewardComposition.DEFAULT_SPEC);
        JoinerConfig config = JoinerConfig.builder()
                .setConnection(cluster)
                .optApplicationId(applicationId)
                .optComposition(composition)
                .optJoinTimeout(joinTimeout)
                .optSettledCapacity(settledCapacity)
                .optPunctuateInterval(punctuateInterval)
                .optTransactionCheck(transactionCheck)
                .optMetricsInterval(metricsInterval)
                .optMeterRegistry(connection.meterRegistry())
                .optStreamThreads(threads)
                .optStateDir(stateDir)
                .optInMemoryState(inMemoryState)
                .build();
        StartupCheck.require(cluster, connection.startupTimeout());
        ServiceLifetime.ensureTopics(cluster);
        RewardJoiner joiner = RewardJoiner.start(config);
        System.out.println("ddpp joiner: log R = max(" + composition.floor() + ", sum w_k log R_k) over " + config.composition().spec()
                + ", " + config.topics().candidates() + " + " + config.topics().scores() + " -> "
                + config.topics().rewards() + " | " + config.topics().dlq());
        System.out.flush();
        java.util.function.BooleanSupplier alive = () -> joiner.state() != KafkaStreams.State.ERROR
                && joiner.state() != KafkaStreams.State.NOT_RUNNING;
        AutoCloseable endpoint = connection.serveMetrics(alive, () -> joiner.state() == KafkaStreams.State.RUNNING);
        return RoleLifecycle.run("joiner", RoleLifecycle.role(() -> {
            joiner.close();
            endpoint.close();
        }, alive, () -> joiner.state() == KafkaStreams.State.ERROR
                ? new IllegalStateException("Kafka Streams is in state ERROR") : null), connection.shutdownTimeout());
    }
}

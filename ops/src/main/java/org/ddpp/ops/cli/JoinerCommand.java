package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.TopicNames;
import picocli.CommandLine.Command;
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

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry", defaultValue = "http://127.0.0.1:8081",
            description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistry;

    @Option(names = "--scorers", defaultValue = RewardComposition.DEFAULT_SPEC,
            description = "Required scorers with weights, name=weight,... (weight 1 when omitted) (default: ${DEFAULT-VALUE}).")
    String scorers;

    @Option(names = "--log-floor", defaultValue = "-20",
            description = "Floor on the combined log reward; clamped candidates are counted (default: ${DEFAULT-VALUE}).")
    double logFloor;

    @Option(names = "--join-timeout-ms", defaultValue = "60000",
            description = "Wall-clock wait for a candidate's required scores before it is dead-lettered (default: ${DEFAULT-VALUE}).")
    long joinTimeoutMs;

    @Option(names = "--dedup-retention-ms", defaultValue = "600000",
            description = "How long a settled candidate is remembered to drop late duplicate scores (default: ${DEFAULT-VALUE}).")
    long dedupRetentionMs;

    @Option(names = "--punctuate-interval-ms", defaultValue = "1000",
            description = "How often timeouts are checked (default: ${DEFAULT-VALUE}).")
    long punctuateIntervalMs;

    @Option(names = "--metrics-interval-ms", defaultValue = "5000",
            description = "How often metrics go to ddpp.metrics (default: ${DEFAULT-VALUE}).")
    long metricsIntervalMs;

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

    @Option(names = "--topic-suffix", defaultValue = "",
            description = "Suffix appended to every ddpp topic name, to run an isolated pipeline on a shared cluster "
                    + "(default: none).")
    String topicSuffix;

    @Override
    public Integer call() throws Exception {
        JoinerConfig config = JoinerConfig.builder()
                .setBootstrapServers(bootstrapServers)
                .setSchemaRegistryUrl(schemaRegistry)
                .optApplicationId(applicationId)
                .optComposition(RewardComposition.parse(scorers, logFloor))
                .optJoinTimeout(Duration.ofMillis(joinTimeoutMs))
                .optDedupRetention(Duration.ofMillis(dedupRetentionMs))
                .optPunctuateInterval(Duration.ofMillis(punctuateIntervalMs))
                .optMetricsInterval(Duration.ofMillis(metricsIntervalMs))
                .optTopics(TopicNames.DEFAULT.withSuffix(topicSuffix))
                .optStreamThreads(threads)
                .optStateDir(stateDir)
                .optInMemoryState(inMemoryState)
                .build();
        ServiceLifetime.ensureTopics(bootstrapServers, topicSuffix);
        RewardJoiner joiner = RewardJoiner.start(config);
        System.out.println("ddpp joiner: log R = max(" + logFloor + ", sum w_k log R_k) over " + config.composition().spec()
                + ", " + config.topics().candidates() + " + " + config.topics().scores() + " -> "
                + config.topics().rewards() + " | " + config.topics().dlq());
        System.out.flush();
        return ServiceLifetime.await("joiner", joiner, () -> joiner.state() != KafkaStreams.State.ERROR
                && joiner.state() != KafkaStreams.State.NOT_RUNNING);
    }
}

package org.ddpp.ops.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import org.ddpp.scorers.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp scorer}: runs one scorer found on the class path as a transactional Kafka service (reads
 * {@code ddpp.candidates}, writes {@code ddpp.scores}); stops cleanly on SIGTERM.
 */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = {"Score candidates from ddpp.candidates with one scorer and write ddpp.scores, exactly once "
                + "per candidate (Kafka transactions). Instances of one scorer share the work through the consumer "
                + "group ddpp-scorer-<name>; candidates of tasks the scorer does not accept are skipped.",
                "Built-in scorers: grid-half-plane, grid-center."})
public final class ScorerCommand implements Callable<Integer> {

    @Option(names = "--scorer", description = "Scorer name, required unless --list (see --list).")
    String scorer;

    @Option(names = "--list", description = "Print the scorers on the class path and exit.")
    boolean list;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry", defaultValue = "http://127.0.0.1:8081",
            description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistry;

    @Option(names = "--instance-id",
            description = "Stable id of this instance among the instances of the scorer; its transactional id and "
                    + "static group member id. Give each concurrent instance its own; restart a crashed one with the "
                    + "same id (default: the host name).")
    String instanceId;

    @Option(names = "--batch-size", defaultValue = "" + ScorerServiceConfig.DEFAULT_BATCH_SIZE,
            description = "Candidates per scorer call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-in-flight", defaultValue = "" + ScorerServiceConfig.DEFAULT_MAX_IN_FLIGHT,
            description = "Candidates polled, scored and committed per transaction (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--parallelism", defaultValue = "" + ScorerServiceConfig.DEFAULT_PARALLELISM,
            description = "Scorer calls running at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--call-timeout-ms", defaultValue = "10000",
            description = "Time one scorer call may take before it is abandoned and retried (default: ${DEFAULT-VALUE}).")
    long callTimeoutMs;

    @Option(names = "--max-retries", defaultValue = "" + ScorerServiceConfig.DEFAULT_MAX_RETRIES,
            description = "Retries of a failed call before its candidates are scored FAILED (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(names = "--retry-backoff-ms", defaultValue = "100",
            description = "First pause before a retry, doubled per retry (default: ${DEFAULT-VALUE}).")
    long retryBackoffMs;

    @Option(names = "--max-retry-backoff-ms", defaultValue = "5000",
            description = "Longest pause between retries (default: ${DEFAULT-VALUE}).")
    long maxRetryBackoffMs;

    @Option(names = "--session-timeout-ms", defaultValue = "45000",
            description = "Consumer session timeout: how long a crashed instance keeps its partitions (default: ${DEFAULT-VALUE}).")
    long sessionTimeoutMs;

    @Option(names = "--transaction-timeout-ms", defaultValue = "60000",
            description = "Producer transaction timeout (default: ${DEFAULT-VALUE}).")
    long transactionTimeoutMs;

    @Option(names = "--metrics-interval-ms", defaultValue = "5000",
            description = "How often metrics go to ddpp.metrics (default: ${DEFAULT-VALUE}).")
    long metricsIntervalMs;

    @Option(names = "--topic-suffix", defaultValue = "",
            description = "Suffix appended to every ddpp topic name, to run an isolated pipeline on a shared cluster "
                    + "(default: none).")
    String topicSuffix;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (Scorer s : Scorers.all()) {
                spec.commandLine().getOut().println(s.name() + "\tversion " + s.version() + "\ttasks " + s.tasks());
            }
            return 0;
        }
        if (scorer == null) {
            throw new IllegalArgumentException("--scorer is required (known: " + String.join(", ", Scorers.names()) + ")");
        }
        ScorerServiceConfig.Builder builder = ScorerServiceConfig.builder()
                .setBootstrapServers(bootstrapServers)
                .setSchemaRegistryUrl(schemaRegistry)
                .setScorer(Scorers.byName(scorer).name())
                .optBatchSize(batchSize)
                .optMaxInFlight(maxInFlight)
                .optParallelism(parallelism)
                .optCallTimeout(Duration.ofMillis(callTimeoutMs))
                .optMaxRetries(maxRetries)
                .optRetryBackoff(Duration.ofMillis(retryBackoffMs))
                .optMaxRetryBackoff(Duration.ofMillis(maxRetryBackoffMs))
                .optSessionTimeout(Duration.ofMillis(sessionTimeoutMs))
                .optTransactionTimeout(Duration.ofMillis(transactionTimeoutMs))
                .optMetricsInterval(Duration.ofMillis(metricsIntervalMs))
                .optTopics(TopicNames.DEFAULT.withSuffix(topicSuffix));
        if (instanceId != null) {
            builder.optInstanceId(instanceId);
        }
        ScorerServiceConfig config = builder.build();
        ServiceLifetime.ensureTopics(bootstrapServers, topicSuffix);
        ScorerService service = ScorerService.start(config);
        System.out.println("ddpp scorer: " + scorer + " instance " + config.instanceId() + " scoring "
                + config.topics().candidates() + " -> " + config.topics().scores() + " on " + bootstrapServers);
        System.out.flush();
        return ServiceLifetime.await("scorer " + scorer, service, service::isRunning);
    }
}

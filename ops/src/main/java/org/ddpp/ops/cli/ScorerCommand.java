package org.ddpp.ops.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ddpp scorer}: runs one scorer found on the class path as a transactional Kafka service (reads
 * {@code ddpp.candidates}, writes {@code ddpp.scores}); stops within the shutdown bound on SIGTERM.
 */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = {"Score candidates from ddpp.candidates with one scorer and write ddpp.scores, exactly once "
                + "per candidate (Kafka transactions). Instances of one scorer share the work through the consumer "
                + "group ddpp-scorer-<name>; candidates of tasks the scorer does not accept are skipped.",
                "Built-in scorers: see --list."})
public final class ScorerCommand implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Option(names = "--scorer", description = "Scorer name, required unless --list (see --list).")
    String scorer;

    @Option(names = "--list", description = "Print the scorers on the class path and exit.")
    boolean list;

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

    @Option(names = "--call-threads", defaultValue = "0",
            description = "Threads that run scorer calls, counting calls abandoned at their timeout that still run; "
                    + "when all are busy the next call waits for one up to --call-timeout (default: twice --parallelism).")
    int callThreads;

    @Option(names = "--call-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time one scorer call may take before it is abandoned and retried (default: ${DEFAULT-VALUE}).")
    Duration callTimeout;

    @Option(names = "--max-retries", defaultValue = "" + ScorerServiceConfig.DEFAULT_MAX_RETRIES,
            description = "Retries of a failed call before its candidates are scored FAILED (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(names = "--retry-backoff", defaultValue = "100ms", converter = DurationConverter.class,
            description = "First pause before a retry, doubled per retry (default: ${DEFAULT-VALUE}).")
    Duration retryBackoff;

    @Option(names = "--max-retry-backoff", defaultValue = "5s", converter = DurationConverter.class,
            description = "Longest pause between retries (default: ${DEFAULT-VALUE}).")
    Duration maxRetryBackoff;

    @Option(names = "--session-timeout", defaultValue = "45s", converter = DurationConverter.class,
            description = "Consumer session timeout: how long a crashed instance keeps its partitions (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--transaction-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Producer transaction timeout (default: ${DEFAULT-VALUE}).")
    Duration transactionTimeout;

    @Option(names = "--metrics-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often metrics go to ddpp.metrics (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

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
        ClusterConnection cluster = connection.connection();
        ScorerServiceConfig.Builder builder = ScorerServiceConfig.builder()
                .setConnection(cluster)
                .setScorer(Scorers.byName(scorer).name())
                .optBatchSize(batchSize)
                .optMaxInFlight(maxInFlight)
                .optParallelism(parallelism)
                .optCallThreads(callThreads)
                .optCallTimeout(callTimeout)
                .optMaxRetries(maxRetries)
                .optRetryBackoff(retryBackoff)
                .optMaxRetryBackoff(maxRetryBackoff)
                .optSessionTimeout(sessionTimeout)
                .optTransactionTimeout(transactionTimeout)
                .optMetricsInterval(metricsInterval)
                .optMeterRegistry(connection.meterRegistry());
        if (instanceId != null) {
            builder.optInstanceId(instanceId);
        }
        ScorerServiceConfig config = builder.build();
        StartupCheck.require(cluster, connection.startupTimeout());
        ServiceLifetime.ensureTopics(cluster);
        ScorerService service = ScorerService.start(config);
        System.out.println("ddpp scorer: " + scorer + " instance " + config.instanceId() + " scoring "
                + config.topics().candidates() + " -> " + config.topics().scores() + " on " + cluster.bootstrapServers());
        System.out.flush();
        AutoCloseable endpoint = connection.serveMetrics(service::isRunning, service::isRunning);
        return RoleLifecycle.run("scorer " + scorer, RoleLifecycle.role(() -> {
            service.close();
            endpoint.close();
        }, service::isRunning, service::failure), connection.shutdownTimeout());
    }
}

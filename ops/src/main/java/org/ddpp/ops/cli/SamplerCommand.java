package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.producers.SamplerConfig;
import org.ddpp.producers.SamplerService;
import org.ddpp.schemas.avro.CandidateSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ddpp sampler}: one sampler of a run as its own process against any Kafka cluster. It follows the run's
 * policy versions (or is pinned to the pre-trained model, or replays prior data), publishes candidates under
 * flow control, and stops cleanly on SIGTERM.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = "Run a sampler: sample the run's newest policy (or the pinned pre-trained model) and publish candidates "
                + "on ddpp.candidates under flow control; follow ddpp.policy; report on ddpp.metrics. Stops cleanly on SIGTERM.")
public final class SamplerCommand implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Option(names = "--run", defaultValue = "grid-demo", description = "Run id: candidates are tagged with it and its policy versions followed (default: ${DEFAULT-VALUE}).")
    String run;

    @Option(names = "--pretrained", required = true, description = "The run's pre-trained checkpoint directory (policy version 0 and the architecture).")
    Path pretrained;

    static final class Mode {
        @Option(names = "--pinned", description = "Pin to the pre-trained model: never swap, candidates have source PRETRAINED (exploration).")
        boolean pinned;

        @Option(names = "--replay", description = "Publish prior data of the task instead of model samples (source REPLAY, exploration).")
        boolean replay;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode = new Mode();

    @Option(names = "--sampler-id", description = "Id of this sampler instance (default: <run>-<source>-<random hex>).")
    String samplerId;

    @Option(names = "--batch-size", defaultValue = "" + SamplerConfig.DEFAULT_BATCH_SIZE, description = "Sequences per sampling call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--sampler-steps", defaultValue = "" + SamplerConfig.DEFAULT_SAMPLER_STEPS, description = "Steps T of the cached ancestral sampler (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", description = "Base seed; each batch's seed is drawn from it and recorded in its candidates (default: random, logged).")
    Long seed;

    @Option(names = "--max-outstanding", defaultValue = "" + SamplerConfig.DEFAULT_MAX_OUTSTANDING,
            description = "Pause while this many candidates are published but not yet consumed by the trainer; 0 = no flow control (default: ${DEFAULT-VALUE}).")
    long maxOutstanding;

    @Option(names = "--max-stale-versions", defaultValue = "" + SamplerConfig.DEFAULT_MAX_STALE_VERSIONS,
            description = "Never publish candidates from a policy more than this many versions behind the newest announced one (default: ${DEFAULT-VALUE}).")
    int maxStaleVersions;

    @Option(names = "--flow-refresh", defaultValue = "300ms", converter = DurationConverter.class, description = "How often outstanding work is re-read from the brokers (default: ${DEFAULT-VALUE}).")
    Duration flowRefresh;

    @Option(names = "--metrics-interval", defaultValue = "5s", converter = DurationConverter.class, description = "How often metrics are published and a progress line logged (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Option(names = "--fetch-timeout", defaultValue = "60s", converter = DurationConverter.class, description = "Time allowed to download one policy version (default: ${DEFAULT-VALUE}).")
    Duration fetchTimeout;

    @Option(names = "--allow-file-weights", description = "Also load policy weights announced as file: URIs or absolute paths (trainer and sampler share a file system); by default only http:// and https:// are fetched.")
    boolean allowFileWeights;

    @Option(names = "--max-weights-size", defaultValue = "" + org.ddpp.producers.PolicyFetcher.DEFAULT_MAX_BYTES, description = "Largest policy weights file downloaded, in bytes; a larger announcement is rejected to ddpp.dlq (default: ${DEFAULT-VALUE}).")
    long maxWeightsBytes;

    @Option(names = "--download-dir", description = "Directory for policy files while they are verified (default: the system temporary directory).")
    Path downloadDir;

    @Option(names = "--max-candidates", defaultValue = "0", description = "Stop after publishing this many candidates; 0 = until stopped (default: ${DEFAULT-VALUE}).")
    long maxCandidates;

    @Override
    public Integer call() throws Exception {
        SamplerConfig.Builder builder = SamplerConfig.builder()
                .setRun(run).setConnection(connection.connection()).setPretrained(pretrained)
                .optSource(mode.replay ? CandidateSource.REPLAY : mode.pinned ? CandidateSource.PRETRAINED : CandidateSource.POLICY)
                .optSamplerId(samplerId).optBatchSize(batchSize).optSamplerSteps(steps)
                .optMaxOutstanding(maxOutstanding).optMaxStaleVersions(maxStaleVersions)
                .optFlowRefresh(flowRefresh).optMetricsInterval(metricsInterval)
                .optFetchTimeout(fetchTimeout).optAllowFileWeights(allowFileWeights).optMaxWeightsBytes(maxWeightsBytes).optDownloadDir(downloadDir).optMaxCandidates(maxCandidates)
                .optStartupTimeout(connection.startupTimeout())
                .optMeterRegistry(connection.meterRegistry());
        if (seed != null) {
            builder.optSeed(seed);
        }
        SamplerConfig config = builder.build();
        Checkpoint.open(pretrained); // a bad directory is reported before any connection attempt
        SamplerService.checkReachable(config);
        ServiceLifetime.ensureTopics(config.connection());
        SamplerService service = SamplerService.start(config);
        System.out.println("ddpp sampler " + config.samplerId() + ": run " + run + ", source " + config.source()
                + ", publishing to " + config.topics().candidates() + " on " + config.connection().bootstrapServers());
        System.out.flush();
        // samples until SIGTERM or --max-candidates
        AutoCloseable endpoint = connection.serveMetrics(() -> !awaitStopped(service), () -> !awaitStopped(service));
        return RoleLifecycle.run("sampler " + config.samplerId(), RoleLifecycle.role(() -> {
            service.close();
            endpoint.close();
        }, () -> !awaitStopped(service), service::failure), connection.shutdownTimeout());
    }

    private static boolean awaitStopped(SamplerService service) {
        try {
            return service.awaitStopped(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}

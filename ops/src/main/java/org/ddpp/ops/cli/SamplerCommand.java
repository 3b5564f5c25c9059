package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.producers.SamplerConfig;
import org.ddpp.producers.SamplerService;
import org.ddpp.producers.SamplerSettings;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Settings;
import org.ddpp.schemas.avro.CandidateSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp sampler}: one sampler of a run as its own process against any Kafka cluster. It follows the run's
 * policy versions (or is pinned to the pre-trained model, or replays prior data), publishes candidates under
 * flow control, and stops cleanly on SIGTERM.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Run a sampler: sample the run's newest policy (or the pinned pre-trained model) and publish candidates "
                + "on ddpp.candidates under flow control; follow ddpp.policy; report on ddpp.metrics. Stops cleanly on SIGTERM.")
public final class SamplerCommand extends RoleCommand {

    static final class Mode {
        @Option(names = "--pinned", description = "Pin to the pre-trained model: never swap, candidates have source PRETRAINED (exploration).")
        boolean pinned;

        @Option(names = "--replay", description = "Publish prior data of the task instead of model samples (source REPLAY, exploration).")
        boolean replay;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode = new Mode();

    public SamplerCommand() {
        super(withConnection(SamplerSettings.OPTIONS));
    }

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        String run = chosen.get(RoleSettings.RUN);
        Path pretrained = chosen.get(RoleSettings.PRETRAINED);
        SamplerConfig config = SamplerConfig.builder()
                .setRun(run).setConnection(connection().connection()).setPretrained(pretrained)
                .optSource(mode.replay ? CandidateSource.REPLAY : mode.pinned ? CandidateSource.PRETRAINED : CandidateSource.POLICY)
                .opt(chosen)
                .opt(SamplerSettings.STARTUP_TIMEOUT, connection().startupTimeout())
                .optMeterRegistry(connection().meterRegistry())
                .build();
        Checkpoint.open(pretrained); // a bad directory is reported before any connection attempt
        config.device().resolve(); // and so is a device that is not there
        SamplerService.checkReachable(config);
        ServiceLifetime.ensureTopics(config.connection());
        SamplerService service = SamplerService.start(config);
        System.out.println("ddpp sampler " + config.samplerId() + ": run " + run + ", source " + config.source()
                + ", publishing to " + config.topics().candidates() + " on " + config.connection().bootstrapServers());
        System.out.flush();
        // samples until SIGTERM or --max-candidates
        AutoCloseable endpoint = connection().serveMetrics(() -> !awaitStopped(service), () -> !awaitStopped(service));
        return RoleLifecycle.run("sampler " + config.samplerId(), RoleLifecycle.role(() -> {
            service.close();
            endpoint.close();
        }, () -> !awaitStopped(service), service::failure), connection().shutdownTimeout());
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

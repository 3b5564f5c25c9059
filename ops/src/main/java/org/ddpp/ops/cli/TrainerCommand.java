package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.trainer.online.OnlineTrainer;
import org.ddpp.trainer.online.OnlineTrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ddpp trainer}: the online DDPP-LB trainer as its own process against any Kafka cluster. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Run the online DDPP-LB trainer: consume ddpp.rewards, train, publish policy versions on ddpp.policy, report on ddpp.metrics, checkpoint with offsets. Stops cleanly on SIGTERM.")
public final class TrainerCommand implements Callable<Integer> {

    @Mixin ConnectionOptions connection;

    @Option(names = "--run", defaultValue = "grid-demo", description = "Run id; only this run's candidates are trained on (default: ${DEFAULT-VALUE}).")
    String run;

    @Option(names = "--pretrained", required = true, description = "The run's pre-trained checkpoint (policy version 0 and the frozen reference).")
    Path pretrained;

    @Option(names = "--state-dir", required = true, description = "Directory for the trainer's checkpoint and published weights; an existing checkpoint there is resumed.")
    Path stateDir;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per DDPP step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--buffer", defaultValue = "10000", description = "Capacity of each replay buffer (on-policy and exploration) (default: ${DEFAULT-VALUE}).")
    int buffer;

    @Option(names = "--exploration-share", defaultValue = "0.5", description = "Share of each batch from exploration candidates (default: ${DEFAULT-VALUE}).")
    double explorationShare;

    @Option(names = "--publish-every", defaultValue = "50", description = "Steps between published policy versions (default: ${DEFAULT-VALUE}).")
    int publishEvery;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many steps in total; 0 = until stopped (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--fresh-per-step", defaultValue = "16", description = "New scored candidates taken in per step once the buffer holds --initial-fill; 0 = all that arrive (default: ${DEFAULT-VALUE}).")
    int freshPerStep;

    @Option(names = "--initial-fill", defaultValue = "1024", description = "New candidates taken in before the per-step allowance applies (default: ${DEFAULT-VALUE}).")
    int initialFill;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Policy learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--logz-lr", defaultValue = "3e-3", description = "Log-Z network learning rate (default: ${DEFAULT-VALUE}).")
    double logZLr;

    @Option(names = "--warmup", defaultValue = "200", description = "First steps that train only log Z (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "Host the weights server binds and advertises in PolicyUpdate URLs (default: ${DEFAULT-VALUE}).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "0", description = "Port of the weights server; 0 = the port of the previous run of this state directory when it is free, else any free port, so announced URLs survive a restart (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--seed", defaultValue = "11", description = "Seed of batch sampling, masking and the log-Z network (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        ClusterConnection cluster = connection.connection();
        OnlineTrainerConfig config = OnlineTrainerConfig.builder()
                .setRun(run).setConnection(cluster)
                .setPretrained(pretrained).setStateDir(stateDir)
                .optDdpp(DdppConfig.builder().optPolicyLearningRate(lr).optLogZLearningRate(logZLr).optWarmupSteps(warmup).build())
                .optLogZShape(NetworkShape.of(64, 1, 4))
                .optBatchSize(batchSize).optBufferCapacity(buffer).optExplorationShare(explorationShare)
                .optPublishEvery(publishEvery).optCheckpointEvery(checkpointEvery).optMaxSteps(maxSteps)
                .optFreshPerStep(freshPerStep).optInitialFill(initialFill)
                .optMetricsInterval(Duration.ofSeconds(2)).optHttpHost(httpHost).optHttpPort(httpPort).optSeed(seed)
                .optMeterRegistry(connection.meterRegistry())
                .build();
        StartupCheck.require(cluster, connection.startupTimeout());
        ServiceLifetime.ensureTopics(cluster);
        OnlineTrainer trainer = OnlineTrainer.create(config, null);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread training = new Thread(() -> {
            try {
                trainer.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "ddpp-trainer-" + run);
        training.start();
        System.out.println("trainer " + run + " weights at http://" + httpHost + ":" + trainer.weightsPort() + "/policies/");
        System.out.flush();
        AutoCloseable endpoint = connection.serveMetrics(training::isAlive, () -> training.isAlive() && trainer.stepCount() > 0);
        AutoCloseable stop = () -> {
            trainer.stop(); // the training thread writes its final checkpoint and returns
            training.join();
            trainer.close();
            endpoint.close();
        };
        return RoleLifecycle.run("trainer " + run, RoleLifecycle.role(stop, training::isAlive, failure::get),
                connection.shutdownTimeout());
    }
}

package org.ddpp.ops.cli;

import java.util.concurrent.atomic.AtomicReference;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Settings;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.trainer.online.OnlineTrainer;
import org.ddpp.trainer.online.OnlineTrainerConfig;
import org.ddpp.trainer.online.TrainerSettings;
import picocli.CommandLine.Command;

/** {@code ddpp trainer}: the online DDPP-LB trainer as its own process against any Kafka cluster. */
@Command(name = "trainer", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Run the online DDPP-LB trainer: consume ddpp.rewards, train, publish policy versions on ddpp.policy, report on ddpp.metrics, checkpoint with offsets. Stops cleanly on SIGTERM.")
public final class TrainerCommand extends RoleCommand {

    public TrainerCommand() {
        super(withConnection(TrainerSettings.OPTIONS));
    }

    @Override
    public Integer call() throws Exception {
        ClusterConnection cluster = connection().connection();
        Settings chosen = chosen();
        String run = chosen.get(RoleSettings.RUN);
        OnlineTrainerConfig config = OnlineTrainerConfig.builder()
                .setRun(run).setConnection(cluster)
                .setPretrained(chosen.get(RoleSettings.PRETRAINED)).setStateDir(chosen.get(TrainerSettings.STATE_DIR))
                .optDdpp(org.ddpp.trainer.learner.LossSettings.apply(chosen, DdppConfig.builder()
                        .optPolicyLearningRate(chosen.get(TrainerSettings.LR))
                        .optLogZLearningRate(chosen.get(TrainerSettings.LOGZ_LR))
                        .optWarmupSteps(chosen.get(TrainerSettings.WARMUP))).build())
                .opt(chosen)
                .optMeterRegistry(connection().meterRegistry())
                .build();
        config.device().resolve(); // a device that is not there is one line and exit 2, before any connection
        StartupCheck.require(cluster, connection().startupTimeout());
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
        System.out.println("trainer " + run + " weights at http://" + config.get(TrainerSettings.HTTP_HOST) + ":" + trainer.weightsPort() + "/policies/");
        System.out.flush();
        AutoCloseable endpoint = connection().serveMetrics(training::isAlive, () -> training.isAlive() && trainer.stepCount() > 0);
        AutoCloseable stop = () -> {
            trainer.stop(); // the training thread writes its final checkpoint and returns
            training.join();
            trainer.close();
            endpoint.close();
        };
        return RoleLifecycle.run("trainer " + run, RoleLifecycle.role(stop, training::isAlive, failure::get),
                connection().shutdownTimeout());
    }
}

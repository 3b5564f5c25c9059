package org.ddpp.ops.cli;

import org.apache.kafka.streams.KafkaStreams;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.JoinerSettings;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.RewardComposition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ddpp joiner}: the reward joiner (Kafka Streams, exactly_once_v2): candidates + required scores →
 * {@code ddpp.rewards}, or {@code ddpp.dlq} with the reason; stops cleanly on SIGTERM.
 */
@Command(name = "joiner", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = {"Join ddpp.candidates with the ddpp.scores of every required scorer and write each candidate "
                + "exactly once: to ddpp.rewards with log R = max(floor, sum_k w_k * log R_k), or to ddpp.dlq when a "
                + "required score is FAILED, INVALID or missing after the timeout. Scores of other scorers are ignored."})
public final class JoinerCommand extends RoleCommand {

    @Mixin RewardOptions reward;

    public JoinerCommand() {
        super(withConnection(JoinerSettings.ALL));
    }

    @Override
    public Integer call() throws Exception {
        ClusterConnection cluster = connection().connection();
        RewardComposition composition = reward.composition(RewardComposition.DEFAULT_SPEC);
        JoinerConfig config = JoinerConfig.builder()
                .setConnection(cluster)
                .optComposition(composition)
                .opt(chosen())
                .optMeterRegistry(connection().meterRegistry())
                .build();
        StartupCheck.require(cluster, connection().startupTimeout());
        ServiceLifetime.ensureTopics(cluster);
        RewardJoiner joiner = RewardJoiner.start(config);
        System.out.println("ddpp joiner: log R = max(" + composition.floor() + ", sum w_k log R_k) over " + config.composition().spec()
                + ", " + config.topics().candidates() + " + " + config.topics().scores() + " -> "
                + config.topics().rewards() + " | " + config.topics().dlq());
        System.out.flush();
        java.util.function.BooleanSupplier alive = () -> joiner.state() != KafkaStreams.State.ERROR
                && joiner.state() != KafkaStreams.State.NOT_RUNNING;
        AutoCloseable endpoint = connection().serveMetrics(alive, () -> joiner.state() == KafkaStreams.State.RUNNING);
        return RoleLifecycle.run("joiner", RoleLifecycle.role(() -> {
            joiner.close();
            endpoint.close();
        }, alive, () -> joiner.state() == KafkaStreams.State.ERROR
                ? new IllegalStateException("Kafka Streams is in state ERROR") : null), connection().shutdownTimeout());
    }
}

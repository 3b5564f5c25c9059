package org.ddpp.ops.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ddpp steer}: changes what a run is steered toward while it runs, by publishing the run's next
 * {@link RewardConfig} version to {@code ddpp.reward-config}; {@code --show} prints the versions the log holds.
 */
@Command(name = "steer", mixinStandardHelpOptions = true,
        description = {"Publish the next reward configuration of a run (log R = max(floor, beta * sum_k w_k log R_k)) to "
                + "ddpp.reward-config, or print its history with --show."})
public final class SteerCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin ConnectionOptions connection;

    @Option(names = "--run", required = true, description = "The run to steer.")
    String run;

    @Option(names = "--reward", paramLabel = "NAME=W[,NAME=W...]",
            description = "Required scorers and weights of the new version; weight 1 when omitted.")
    String reward;

    @Option(names = "--floor", defaultValue = "" + RewardComposition.DEFAULT_FLOOR,
            description = "Floor on the combined log R (default: ${DEFAULT-VALUE}).")
    double floor;

    @Option(names = "--beta", defaultValue = "1", description = "Temperature on the weighted sum (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--reason", description = "Why, in a few words; kept with the version.")
    String reason;

    @Option(names = "--set-by", description = "Who sets it (default: the user name).")
    String setBy = System.getProperty("user.name", "unknown");

    @Option(names = "--show", description = "Print the run's versions instead of publishing one.")
    boolean show;

    @Override
    public Integer call() {
        if (show == (reward != null)) {
            throw new IllegalArgumentException("give either --reward (publish a new version) or --show");
        }
        ClusterConnection cluster = connection.connection();
        StartupCheck.require(cluster, connection.startupTimeout());
        RewardConfigLog log = new RewardConfigLog(cluster, connection.startupTimeout());
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (show) {
            List<RewardConfig> history = log.history(run);
            if (history.isEmpty()) {
                out.println("run " + run + " was never steered (no version in " + cluster.topics().rewardConfig() + ")");
            }
            history.forEach(c -> out.println(RewardConfigLog.describe(c)));
            out.flush();
            return 0;
        }
        RewardComposition composition = RewardComposition.parse(reward, floor);
        cluster.createMissingTopics();
        Topics.registerValueSchemas(cluster.cachedRegistry(), List.of(Topics.REWARD_CONFIG));
        RewardConfig published = log.publish(run, composition, beta, setBy, reason);
        out.println("run " + run + " steered: " + RewardConfigLog.describe(published));
        out.flush();
        return 0;
    }
}

package org.ddpp.ops.cli;

import java.util.List;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.runtime.config.Settings;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import picocli.CommandLine.Command;

/**
 * {@code ddpp steer}: changes what a run is steered toward while it runs, by publishing the run's next
 * {@link RewardConfig} version to {@code ddpp.reward-config}; {@code --show} prints the versions the log holds.
 */
@Command(name = "steer", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = {"Publish the next reward configuration of a run (log R = max(floor, beta * sum_k w_k log R_k)) to "
                + "ddpp.reward-config, or print its history with --show."})
public final class SteerCommand extends RoleCommand {

    public static final Setting<String> RUN = Setting.text("run").required().notBlank().doc("The run to steer.").build();
    public static final Setting<String> REWARD = Setting.text("reward").valueLabel("NAME=W[,NAME=W...]")
            .doc("Required scorers and weights of the new version; weight 1 when omitted.").build();
    public static final Setting<Double> FLOOR = Setting.decimal("floor").defaultValue("-20")
            .check("finite and negative", v -> v < 0 && !v.isInfinite()).doc("Floor on the combined log R.").build();
    public static final Setting<Double> BETA = Setting.decimal("beta").defaultValue("1")
            .check("finite and positive", v -> v > 0 && !v.isInfinite()).doc("Temperature on the weighted sum.").build();
    public static final Setting<String> REASON = Setting.text("reason").doc("Why, in a few words; kept with the version.").build();
    public static final Setting<String> SET_BY = Setting.text("set-by").doc("Who sets it (default: the user name).").build();
    public static final Setting<Boolean> SHOW = Setting.flag("show").doc("Print the run's versions instead of publishing one.").build();

    /** Every steer setting. */
    public static final List<Setting<?>> ALL = List.of(RUN, REWARD, FLOOR, BETA, REASON, SET_BY, SHOW);

    public static final SettingGroup GROUP = new SettingGroup("steer",
            "`ddpp steer`: publishes a run's next reward configuration to `ddpp.reward-config`, or prints its history.", ALL);

    public SteerCommand() {
        super(withConnection(ALL));
    }

    @Override
    public Integer call() {
        Settings chosen = chosen();
        String run = chosen.get(RUN);
        boolean show = chosen.get(SHOW);
        String reward = chosen.get(REWARD);
        if (show == (reward != null)) {
            throw new IllegalArgumentException("give either --reward (publish a new version) or --show");
        }
        ClusterConnection cluster = connection().connection();
        StartupCheck.require(cluster, connection().startupTimeout());
        RewardConfigLog log = new RewardConfigLog(cluster, connection().startupTimeout());
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
        RewardComposition composition = RewardComposition.parse(reward, chosen.get(FLOOR));
        cluster.createMissingTopics();
        Topics.registerValueSchemas(cluster.cachedRegistry(), List.of(Topics.REWARD_CONFIG));
        String setBy = chosen.get(SET_BY) != null ? chosen.get(SET_BY) : System.getProperty("user.name", "unknown");
        RewardConfig published = log.publish(run, composition, chosen.get(BETA), setBy, chosen.get(REASON));
        out.println("run " + run + " steered: " + RewardConfigLog.describe(published));
        out.flush();
        return 0;
    }
}

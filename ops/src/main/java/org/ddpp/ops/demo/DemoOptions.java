package org.ddpp.ops.demo;

import java.time.Duration;
import java.util.List;
import org.ddpp.producers.SamplerSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.scorers.joiner.JoinerSettings;
import org.ddpp.trainer.online.TrainerSettings;

/**
 * The demo pipeline's scalar settings, defined once (used by {@link DemoSettings}, {@code ddpp demo},
 * {@code ddpp bench pipeline} and the docs). The role settings the demo passes on are the roles' own definitions.
 */
public final class DemoOptions {

    private DemoOptions() {}

    public static final Setting<Integer> EVALUATION_SAMPLES = Setting.integer("evaluation-samples").defaultValue("128").atLeast(1)
            .doc("Policy samples per published version for the mean log R and quality figures of tasks without an exact evaluation.").build();
    public static final Setting<Integer> FOLLOWING_SAMPLERS = Setting.integer("samplers").defaultValue("1").nonNegative()
            .doc("Samplers following the newest policy.").build();
    public static final Setting<Integer> PINNED_SAMPLERS = Setting.integer("pinned-samplers").defaultValue("1").atLeast(1)
            .doc("Samplers pinned to the pre-trained model, the exploration source.").build();
    public static final Setting<Duration> METRICS_INTERVAL = Setting.duration("metrics-interval").defaultValue("2s").positive()
            .doc("How often every role of the demo publishes its metrics.").build();
    public static final Setting<Integer> PUBLISH_EVERY = TrainerSettings.PUBLISH_EVERY;
    public static final Setting<Integer> CHECKPOINT_EVERY = TrainerSettings.CHECKPOINT_EVERY;
    public static final Setting<Integer> FRESH_PER_STEP = TrainerSettings.FRESH_PER_STEP;
    public static final Setting<Long> MAX_OUTSTANDING = SamplerSettings.MAX_OUTSTANDING;
    public static final Setting<java.time.Duration> TARGET_LATENCY = SamplerSettings.TARGET_LATENCY;
    public static final Setting<Duration> JOIN_TIMEOUT = JoinerSettings.JOIN_TIMEOUT;

    // what only the command line has: how long, which task, where, and the dashboard
    public static final Setting<Double> MINUTES = Setting.decimal("minutes").defaultValue("10").positive()
            .doc("How long to run.").build();
    public static final Setting<String> TASK = Setting.text("task").defaultValue("grid").notBlank()
            .doc("Task with a profile: grid, protein, mnist, sentiment.").build();
    public static final Setting<Integer> DASHBOARD_PORT = Setting.integer("port").defaultValue("8080").port()
            .doc("Dashboard port; 0 = any free port.").build();
    public static final Setting<Boolean> NO_DASHBOARD = Setting.flag("no-dashboard")
            .doc("Do not serve the dashboard.").build();
    public static final Setting<String> RUN = Setting.text("run").notBlank()
            .doc("Run id (default: <task>-demo-<time>).").build();
    public static final Setting<java.nio.file.Path> WORK_DIR = Setting.path("work-dir")
            .doc("Broker data, trainer state and joiner state (default: a new temporary directory).").build();
    public static final Setting<Boolean> ALLOW_STEERING = Setting.flag("allow-steering")
            .doc("Let the dashboard's form publish new reward configurations of the run (as ddpp steer does); without it the dashboard is read-only.").build();
    public static final Setting<Boolean> NO_START_EXTERNAL = Setting.flag("no-start-external")
            .doc("Do not start external scorers; print the command to run them yourself instead.").build();
    /** Also {@code ddpp bench pipeline} and {@code ddpp bench <task>}. */
    public static final Setting<java.nio.file.Path> CACHE_DIR = Setting.path("cache-dir")
            .doc("Cache of data and pre-trained models (default: $DDPP_CACHE or ~/.cache/ddpp).").build();
    /** Also the benchmarks: pre-training steps when the model is not cached; null = the task's. */
    public static final Setting<Integer> PRETRAIN_STEPS = Setting.integer("pretrain-steps").nonNegative()
            .doc("Pre-training steps when the model is not cached (default: the task's; grid 3000, ddpp bench grid --quick 1500).").build();

    /** The settings {@code ddpp demo} offers as options (besides the connection and reward options and --external-scorer). */
    public static final List<Setting<?>> OPTIONS = java.util.stream.Stream.concat(List.<Setting<?>>of(EVALUATION_SAMPLES, FOLLOWING_SAMPLERS, PINNED_SAMPLERS,
            PUBLISH_EVERY, FRESH_PER_STEP, MAX_OUTSTANDING, TARGET_LATENCY, MINUTES, TASK, DASHBOARD_PORT, NO_DASHBOARD, ALLOW_STEERING, RUN, WORK_DIR, NO_START_EXTERNAL,
            CACHE_DIR, PRETRAIN_STEPS, org.ddpp.runtime.config.RoleSettings.DEVICE).stream(),
            // the loss options for rewards that couple positions (docs/fidelity.md)
            org.ddpp.trainer.learner.LossSettings.ALL.stream()).toList();

    public static final SettingGroup GROUP = new SettingGroup("demo",
            "`ddpp demo`: the whole online loop in one process. Library-only settings of `DemoSettings` besides: "
                    + "`metrics-interval` (default `2s`), and the roles' `checkpoint-every` and `join-timeout` with "
                    + "their defaults.", OPTIONS);
}

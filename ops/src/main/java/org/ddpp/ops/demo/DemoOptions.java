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
    public static final Setting<Duration> JOIN_TIMEOUT = JoinerSettings.JOIN_TIMEOUT;

    /** The settings {@code ddpp demo} offers as options. */
    public static final List<Setting<?>> OPTIONS = List.of(EVALUATION_SAMPLES, FOLLOWING_SAMPLERS, PINNED_SAMPLERS,
            PUBLISH_EVERY, FRESH_PER_STEP);

    public static final SettingGroup GROUP = new SettingGroup("demo",
            "`ddpp demo`: the whole online loop in one process. Library-only settings of `DemoSettings` besides: "
                    + "`metrics-interval` (default `2s`), and the roles' `checkpoint-every`, `max-outstanding` and "
                    + "`join-timeout` with their defaults.", OPTIONS);
}

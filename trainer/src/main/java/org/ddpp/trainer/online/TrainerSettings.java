package org.ddpp.trainer.online;

import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;

/**
 * The online trainer's scalar settings, defined once (used by {@link OnlineTrainerConfig}, {@code ddpp trainer},
 * the demo, the benchmarks and the docs). The learning rates and warm-up go into the trainer's {@code DdppConfig}
 * ({@code diffusion} has no settings of its own: it imports no runtime class).
 */
public final class TrainerSettings {

    private TrainerSettings() {}

    /** Where the trainer keeps its checkpoint and published weights (required; the config's {@code setStateDir}). */
    public static final Setting<java.nio.file.Path> STATE_DIR = Setting.path("state-dir").required()
            .doc("Directory for the trainer's checkpoint and published weights; an existing checkpoint there is resumed.").build();
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size").defaultValue("64").positive()
            .doc("Samples per DDPP step.").build();
    public static final Setting<Integer> BUFFER = Setting.integer("buffer").defaultValue("10000").positive()
            .doc("Capacity of each replay buffer (on-policy and exploration).").build();
    public static final Setting<Double> EXPLORATION_SHARE = Setting.decimal("exploration-share").defaultValue("0.5")
            .check("in [0, 1]", v -> v >= 0 && v <= 1).doc("Share of each batch from exploration candidates.").build();
    public static final Setting<Integer> PUBLISH_EVERY = Setting.integer("publish-every").defaultValue("50").positive()
            .doc("Trainer steps between policy versions.").build();
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.integer("checkpoint-every").defaultValue("200").positive()
            .doc("Steps between checkpoints.").build();
    public static final Setting<Long> MAX_STEPS = Setting.longValue("max-steps").defaultValue("0").nonNegative()
            .doc("Stop after this many steps in total; 0 = until stopped.").build();
    public static final Setting<Integer> FRESH_PER_STEP = Setting.integer("fresh-per-step").defaultValue("16").nonNegative()
            .doc("New scored candidates the trainer takes in per step once its buffer holds the initial fill; 0 = all that arrive.").build();
    public static final Setting<Integer> INITIAL_FILL = Setting.integer("initial-fill").defaultValue("1024").nonNegative()
            .doc("New candidates taken in before the per-step allowance applies.").build();
    public static final Setting<Double> LR = Setting.decimal("lr").defaultValue("3e-4").positive()
            .doc("Policy learning rate.").build();
    public static final Setting<Double> LOGZ_LR = Setting.decimal("logz-lr").defaultValue("3e-3").positive()
            .doc("Log-Z network learning rate.").build();
    public static final Setting<Integer> WARMUP = Setting.integer("warmup").defaultValue("200").nonNegative()
            .doc("First steps that train only log Z.").build();
    public static final Setting<String> HTTP_HOST = Setting.text("http-host").defaultValue("127.0.0.1").notBlank()
            .doc("Host the weights server binds and advertises in PolicyUpdate URLs.").build();
    public static final Setting<Integer> HTTP_PORT = Setting.integer("http-port").defaultValue("0").nonNegative()
            .doc("Port of the weights server; 0 = the port of the previous run of this state directory when it is free, "
                    + "else any free port, so announced URLs survive a restart.").build();
    public static final Setting<Long> SEED = Setting.longValue("seed").defaultValue("11")
            .doc("Seed of batch sampling, masking and the log-Z network.").build();
    public static final Setting<Integer> STEER_LOGZ_STEPS = Setting.integer("steer-logz-steps").defaultValue("50").nonNegative()
            .doc("Steps that train only log Z after the run's reward configuration changed (ddpp steer), so log Z "
                    + "catches up with the recombined rewards before the policy moves.").build();
    public static final Setting<Duration> QUALITY_INTERVAL = Setting.duration("quality-interval").defaultValue("30s").nonNegative()
            .doc("How often the posterior-quality figures (log mean R over pinned samples, ESS, KL to the pre-trained "
                    + "model, reward-zero share) are computed on the training thread; 0s: off.").build();
    public static final Setting<Integer> QUALITY_SAMPLES = Setting.integer("quality-samples").defaultValue("32").positive()
            .doc("Newest policy samples whose log q - log p_pre the quality figures estimate with both denoisers "
                    + "(the cost: 4 unmasking orders of at most 16 forward passes each, per model).").build();
    public static final Setting<Integer> QUALITY_PINNED = Setting.integer("quality-pinned").defaultValue("1024").positive()
            .doc("Newest pinned (pre-trained) samples the Monte-Carlo log mean R and their reward-zero share are taken over.").build();
    /** Not a flag of {@code ddpp trainer} (the demo sets it); the trainer's default is shorter than the other roles'. */
    public static final Setting<Duration> METRICS_INTERVAL = Setting.duration("metrics-interval").defaultValue("2s").positive()
            .doc("How often the trainer's metrics go to ddpp.metrics.").build();
    /** Not a flag: published weight files kept on disk. */
    public static final Setting<Integer> KEEP_VERSIONS = Setting.integer("keep-versions").defaultValue("5").positive()
            .doc("Published weight files kept on disk.").build();

    /** The settings {@code ddpp trainer} offers as options. */
    public static final List<Setting<?>> OPTIONS = java.util.stream.Stream.concat(List.<Setting<?>>of(RoleSettings.RUN, RoleSettings.PRETRAINED, RoleSettings.DEVICE, STATE_DIR, BATCH_SIZE, BUFFER, EXPLORATION_SHARE, PUBLISH_EVERY,
            CHECKPOINT_EVERY, MAX_STEPS, FRESH_PER_STEP, INITIAL_FILL, LR, LOGZ_LR, WARMUP, HTTP_HOST, HTTP_PORT, SEED,
            STEER_LOGZ_STEPS, QUALITY_INTERVAL, QUALITY_SAMPLES, QUALITY_PINNED).stream(),
            // the loss options for rewards that couple positions (docs/fidelity.md)
            org.ddpp.trainer.learner.LossSettings.ALL.stream()).toList();

    public static final SettingGroup GROUP = new SettingGroup("trainer",
            "`ddpp trainer`: the online DDPP-LB trainer, `ddpp.rewards` → `ddpp.policy`. Library-only settings of "
                    + "`OnlineTrainerConfig` besides: `metrics-interval` (default `2s`), `keep-versions` (default `5`).",
            OPTIONS);
}

package org.ddpp.ops.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.SettingsBuilder;

/**
 * What one chaos run (or soak) does: how long it injects faults, the seed of their order and moments, the pause
 * between a recovery and the next fault, how long a recovery may take before it counts as a violation, and the
 * roles' short timeouts (so that a stopped role is noticed and a restarted one comes back quickly). The settings are
 * defined once here ({@code ddpp chaos} generates its options from {@link #ALL}, {@code ddpp bench soak} from
 * {@link #SOAK}); built with {@link #builder()} and {@code opt(setting, value)}, every setting has its documented
 * default.
 *
 * @param settings the chosen values of {@link #ALL} and {@link #SOAK}
 */
public record ChaosSettings(Settings settings) implements Configured {

    public static final Setting<Double> MINUTES = Setting.decimal("minutes").defaultValue("10").nonNegative()
            .doc("How long faults are injected.").build();
    public static final Setting<Long> SEED = Setting.longValue("seed").defaultValue("1")
            .doc("Seed of the fault order, moments and victims.").build();
    public static final Setting<Integer> MIN_FAULTS = Setting.integer("min-faults").defaultValue("0").nonNegative()
            .doc("Keep injecting after --minutes until this many faults.").build();
    public static final Setting<Duration> FAULT_GAP_MIN = Setting.duration("fault-gap-min").defaultValue("300ms").nonNegative()
            .doc("Shortest pause after a recovery before the next fault.").build();
    public static final Setting<Duration> FAULT_GAP_MAX = Setting.duration("fault-gap-max").defaultValue("1500ms").nonNegative()
            .doc("Longest pause after a recovery before the next fault.").build();
    public static final Setting<Duration> RECOVERY_TIMEOUT = Setting.duration("recovery-timeout").defaultValue("3m").positive()
            .doc("A fault not recovered from within this time is a violation.").build();
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("session-timeout").defaultValue("6s")
            .check("at least 6s (the broker's group.min.session.timeout.ms)", d -> d.toMillis() >= 6000)
            .doc("Consumer session timeout of the scorers and the joiner; a SIGSTOP lasts 2 s longer.").build();
    public static final Setting<Duration> JOIN_TIMEOUT = Setting.duration("join-timeout").defaultValue("10s").positive()
            .doc("The joiner's --join-timeout.").build();
    public static final Setting<Duration> TRANSACTION_TIMEOUT = Setting.duration("transaction-timeout").defaultValue("20s").positive()
            .doc("The scorers' --transaction-timeout.").build();
    public static final Setting<Duration> STARTUP_TIMEOUT = Setting.duration("startup-timeout").defaultValue("60s").positive()
            .doc("Every role's --startup-timeout (long, so that roles restarted while the broker is down wait for it).").build();
    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.duration("shutdown-timeout").defaultValue("20s").positive()
            .doc("Every role's --shutdown-timeout.").build();
    public static final Setting<Path> PRETRAINED = Setting.path("pretrained")
            .doc("Pre-trained grid checkpoint for the trainer and samplers (default: a small untrained model).").build();
    public static final Setting<Path> WORK_DIR = Setting.path("work-dir")
            .doc("Directory for logs, broker data and trainer state, kept afterwards (default: a temporary directory, "
                    + "deleted at the end unless --keep-work-dir or, for ddpp chaos, a violation was found).").build();
    public static final Setting<Boolean> KEEP_WORK_DIR = Setting.flag("keep-work-dir")
            .doc("Keep the temporary work directory.").build();

    /** {@code ddpp bench soak}: how long the loop runs (its own default). */
    public static final Setting<Double> SOAK_MINUTES = Setting.decimal("minutes").defaultValue("60").positive()
            .doc("How long the loop runs.").build();
    /** {@code ddpp bench soak}: time between samples. */
    public static final Setting<Duration> SOAK_INTERVAL = Setting.duration("interval").defaultValue("1m").positive()
            .doc("Time between samples.").build();

    /** Every setting of {@code ddpp chaos}. */
    public static final List<Setting<?>> ALL = List.of(MINUTES, SEED, MIN_FAULTS, FAULT_GAP_MIN, FAULT_GAP_MAX,
            RECOVERY_TIMEOUT, SESSION_TIMEOUT, JOIN_TIMEOUT, TRANSACTION_TIMEOUT, STARTUP_TIMEOUT, SHUTDOWN_TIMEOUT,
            PRETRAINED, WORK_DIR, KEEP_WORK_DIR);

    /** Every setting of {@code ddpp bench soak} (the chaos loop's roles keep the chaos defaults). */
    public static final List<Setting<?>> SOAK = List.of(SOAK_MINUTES, SOAK_INTERVAL, PRETRAINED, WORK_DIR, KEEP_WORK_DIR);

    public static final SettingGroup GROUP = new SettingGroup("chaos",
            "`ddpp chaos`: fault injection on the grid loop of separate processes, invariants checked from the topics.", ALL);

    public static final SettingGroup SOAK_GROUP = new SettingGroup("bench soak",
            "`ddpp bench soak`: the same loop without faults, each role's memory, threads and open files sampled.", SOAK);

    public ChaosSettings {
        java.util.Objects.requireNonNull(settings, "settings");
        if (faultGapMax(settings).compareTo(settings.get(FAULT_GAP_MIN)) < 0) {
            throw new IllegalArgumentException("--fault-gap-min must not exceed --fault-gap-max, got "
                    + FAULT_GAP_MIN.type().write(settings.get(FAULT_GAP_MIN)) + " and " + FAULT_GAP_MAX.type().write(faultGapMax(settings)));
        }
    }

    private static Duration faultGapMax(Settings settings) {
        return settings.get(FAULT_GAP_MAX);
    }


    /** How long faults are injected ({@code --minutes}). */
    public Duration duration() {
        return minutes(get(MINUTES));
    }

    /** How long a soak runs ({@code ddpp bench soak --minutes}). */
    public Duration soakDuration() {
        return minutes(get(SOAK_MINUTES));
    }

    private static Duration minutes(double minutes) {
        return Duration.ofMillis((long) (minutes * 60_000));
    }

    public long seed() { return get(SEED); }

    public int minFaults() { return get(MIN_FAULTS); }

    public Duration faultGapMin() { return get(FAULT_GAP_MIN); }

    public Duration faultGapMax() { return get(FAULT_GAP_MAX); }

    public Duration recoveryTimeout() { return get(RECOVERY_TIMEOUT); }

    public Duration sessionTimeout() { return get(SESSION_TIMEOUT); }

    public Duration joinTimeout() { return get(JOIN_TIMEOUT); }

    public Duration transactionTimeout() { return get(TRANSACTION_TIMEOUT); }

    public Duration startupTimeout() { return get(STARTUP_TIMEOUT); }

    public Duration shutdownTimeout() { return get(SHUTDOWN_TIMEOUT); }

    /** The run's pre-trained checkpoint; null writes a small untrained grid model. */
    public Path pretrained() { return get(PRETRAINED); }

    /** Where logs, the broker's data and the trainer's state go; null makes a temporary directory. */
    public Path workDir() { return get(WORK_DIR); }

    public boolean keepWorkDir() { return get(KEEP_WORK_DIR); }

    /** The run id of the loop's candidates and policy versions. */
    public String run() {
        return "chaos";
    }

    /** Trainer settings of the chaos loop: a small buffer, frequent versions and checkpoints. */
    int initialFill() {
        return 64;
    }

    int freshPerStep() {
        return 16;
    }

    int publishEvery() {
        return 20;
    }

    int checkpointEvery() {
        return 40;
    }

    int maxOutstanding() {
        return 512;
    }

    /** A duration as a role flag value. */
    static String flag(Duration d) {
        return d.toMillis() + "ms";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: every setting is optional ({@code opt(setting, value)}), with the defaults above. */
    public static final class Builder extends SettingsBuilder<Builder> {

        public ChaosSettings build() {
            return new ChaosSettings(settings());
        }
    }
}

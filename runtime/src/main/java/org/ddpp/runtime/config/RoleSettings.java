package org.ddpp.runtime.config;

import java.nio.file.Path;
import java.time.Duration;

/** Settings that several roles share, defined once here so their default and doc cannot differ between roles. */
public final class RoleSettings {

    private RoleSettings() {}

    /** How often a role publishes its numbers to {@code ddpp.metrics}. */
    public static final Setting<Duration> METRICS_INTERVAL = Setting.duration("metrics-interval").defaultValue("5s")
            .positive().doc("How often metrics go to ddpp.metrics.").build();

    /**
     * How long a role waits at start for Kafka and the registry ({@code --startup-timeout} of every role command,
     * among the connection options; the same default as {@code StartupCheck.DEFAULT_TIMEOUT}).
     */
    public static final Setting<Duration> STARTUP_TIMEOUT = Setting.duration("startup-timeout").defaultValue("15s").valueLabel("DURATION")
            .positive().doc("Give up with one line (exit 2) when Kafka or the registry is not reachable, or refuses "
                    + "the credentials, within this time.").build();

    /**
     * Where a role's model lives: every array of its training or sampling steps is made there
     * ({@code org.ddpp.diffusion.DeviceChoice} resolves it against the PyTorch engine).
     */
    public static final Setting<String> DEVICE = Setting.text("device").defaultValue("auto").valueLabel("auto|cpu|gpu[:N]")
            .check("auto, cpu, gpu or gpu:N", v -> v.trim().toLowerCase(java.util.Locale.ROOT).matches("auto|cpu|gpu(:\\d{1,3})?"))
            .doc("Where the model runs: auto takes GPU 0 where PyTorch sees one (the -Pcuda build on a host with an NVIDIA "
                    + "driver) and the CPU otherwise, and logs its choice; gpu without a usable GPU stops with one line.").build();

    /** The run a streaming role (sampler, trainer) belongs to. */
    public static final Setting<String> RUN = Setting.text("run").defaultValue("grid-demo").notBlank()
            .doc("Run id: the role works on this run's candidates and policy versions only.").build();

    /** The run's pre-trained checkpoint (sampler, trainer). */
    public static final Setting<Path> PRETRAINED = Setting.path("pretrained").required()
            .doc("The run's pre-trained checkpoint directory (policy version 0, the architecture and the frozen reference).").build();
}

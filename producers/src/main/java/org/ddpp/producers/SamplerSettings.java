package org.ddpp.producers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;

/** A sampler's scalar settings, defined once (used by {@link SamplerConfig}, {@code ddpp sampler}, the demo and the docs). */
public final class SamplerSettings {

    private SamplerSettings() {}

    public static final Setting<String> SAMPLER_ID = Setting.text("sampler-id")
            .doc("Id of this sampler instance (default: <run>-<source>-<random hex>).").build();
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size").defaultValue("64").atLeast(1)
            .doc("Sequences per sampling call.").build();
    public static final Setting<Integer> SAMPLER_STEPS = Setting.integer("sampler-steps").defaultValue("64").atLeast(1)
            .doc("Steps T of the cached ancestral sampler.").build();
    public static final Setting<Long> SEED = Setting.longValue("seed")
            .doc("Base seed; each batch's seed is drawn from it and recorded in its candidates (default: random, logged).").build();
    public static final Setting<Long> MAX_OUTSTANDING = Setting.longValue("max-outstanding").defaultValue("2048").nonNegative()
            .doc("Largest number of candidates published but not yet consumed by the trainer before samplers pause "
                    + "(the bound --target-latency derives stays below it); 0 = no flow control.").build();
    public static final Setting<Duration> TARGET_LATENCY = Setting.duration("target-latency").defaultValue("200ms").nonNegative()
            .doc("Flow control aims at this time from a candidate's creation to the trainer: the bound on outstanding "
                    + "candidates is the trainer's measured intake rate × this (Little's law); while the trainer's queue is "
                    + "short, never below the candidates still in flight plus a fifth of it; at most --max-outstanding, "
                    + "and that maximum while no trainer takes candidates in; 0s: always --max-outstanding.").build();
    public static final Setting<Integer> MAX_STALE_VERSIONS = Setting.integer("max-stale-versions").defaultValue("2").nonNegative()
            .doc("Never publish candidates from a policy more than this many versions behind the newest announced one.").build();
    public static final Setting<Duration> FLOW_REFRESH = Setting.duration("flow-refresh").defaultValue("300ms").positive()
            .doc("How often outstanding work is re-read from the brokers.").build();
    public static final Setting<Duration> METRICS_INTERVAL = RoleSettings.METRICS_INTERVAL;
    public static final Setting<Duration> FETCH_CONNECT_TIMEOUT = Setting.duration("fetch-connect-timeout").defaultValue("5s")
            .positive().doc("Connect timeout of an http policy download.").build();
    public static final Setting<Duration> FETCH_TIMEOUT = Setting.duration("fetch-timeout").defaultValue("60s").positive()
            .doc("Time allowed to download one policy version.").build();
    public static final Setting<Boolean> ALLOW_FILE_WEIGHTS = Setting.flag("allow-file-weights")
            .doc("Also load policy weights announced as file: URIs or absolute paths (trainer and sampler share a file "
                    + "system); by default only http:// and https:// are fetched.").build();
    public static final Setting<Long> MAX_WEIGHTS_SIZE = Setting.longValue("max-weights-size")
            .defaultValue(Long.toString(PolicyFetcher.DEFAULT_MAX_BYTES)).atLeast(1)
            .doc("Largest policy weights file downloaded, in bytes; a larger announcement is rejected to ddpp.dlq.").build();
    public static final Setting<Path> DOWNLOAD_DIR = Setting.path("download-dir")
            .doc("Directory for policy files while they are verified (default: the system temporary directory).").build();
    public static final Setting<Long> MAX_CANDIDATES = Setting.longValue("max-candidates").defaultValue("0").nonNegative()
            .doc("Stop after publishing this many candidates; 0 = until stopped.").build();
    /** Not a sampler flag: {@code ddpp sampler} takes it from the connection options' {@code --startup-timeout}. */
    public static final Setting<Duration> STARTUP_TIMEOUT = RoleSettings.STARTUP_TIMEOUT;

    /** The settings {@code ddpp sampler} offers as options. */
    public static final List<Setting<?>> OPTIONS = List.of(RoleSettings.RUN, RoleSettings.PRETRAINED, RoleSettings.DEVICE, SAMPLER_ID, BATCH_SIZE, SAMPLER_STEPS, SEED, MAX_OUTSTANDING, TARGET_LATENCY,
            MAX_STALE_VERSIONS, FLOW_REFRESH, METRICS_INTERVAL, FETCH_CONNECT_TIMEOUT, FETCH_TIMEOUT, ALLOW_FILE_WEIGHTS,
            MAX_WEIGHTS_SIZE, DOWNLOAD_DIR, MAX_CANDIDATES);

    public static final SettingGroup GROUP = new SettingGroup("sampler",
            "`ddpp sampler`: samples the run's newest policy (or the pinned pre-trained model) and publishes "
                    + "`ddpp.candidates` under flow control (`--startup-timeout` is a connection option).", OPTIONS);
}

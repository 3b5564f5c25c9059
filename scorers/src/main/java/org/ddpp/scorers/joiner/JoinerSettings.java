package org.ddpp.scorers.joiner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;

/** The reward joiner's scalar settings, defined once (used by {@link JoinerConfig}, {@code ddpp joiner} and the docs). */
public final class JoinerSettings {

    private JoinerSettings() {}

    public static final Setting<String> APPLICATION_ID = Setting.text("application-id").defaultValue("ddpp-joiner").notBlank()
            .doc("Kafka Streams application id.").build();
    public static final Setting<Duration> JOIN_TIMEOUT = Setting.duration("join-timeout").defaultValue("60s").positive()
            .doc("Wall-clock wait for a candidate's required scores before it is dead-lettered.").build();
    public static final Setting<Duration> DEDUP_RETENTION = Setting.duration("dedup-retention").defaultValue("10m").positive()
            .doc("How long a settled candidate is remembered to drop late duplicate scores.").build();
    public static final Setting<Duration> PUNCTUATE_INTERVAL = Setting.duration("punctuate-interval").defaultValue("1s").positive()
            .doc("How often timeouts are checked.").build();
    public static final Setting<Duration> METRICS_INTERVAL = RoleSettings.METRICS_INTERVAL;
    public static final Setting<Integer> STREAM_THREADS = Setting.integer("threads").defaultValue("1").positive()
            .doc("Kafka Streams threads.").build();
    public static final Setting<Path> STATE_DIR = Setting.path("state-dir").defaultValue("runs/joiner-state")
            .doc("Kafka Streams state directory.").build();
    public static final Setting<Boolean> IN_MEMORY_STATE = Setting.flag("in-memory-state")
            .doc("Keep the join state in memory (restored from its changelog on start) instead of RocksDB.").build();

    /** Every joiner setting. */
    public static final List<Setting<?>> ALL = List.of(APPLICATION_ID, JOIN_TIMEOUT, DEDUP_RETENTION, PUNCTUATE_INTERVAL,
            METRICS_INTERVAL, STREAM_THREADS, STATE_DIR, IN_MEMORY_STATE);

    public static final SettingGroup GROUP = new SettingGroup("joiner",
            "`ddpp joiner`: the reward joiner (Kafka Streams), candidates + required scores → `ddpp.rewards` or `ddpp.dlq`.", ALL);
}

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
    /** The default, about two hours of a 4-partition pipeline at 250 candidates/s; about 50 MB per task. */
    public static final Setting<Long> SETTLED_CAPACITY = Setting.longValue("settled-capacity").defaultValue("500000").atLeast(1)
            .doc("Settled candidate ids remembered per partition (about 100 bytes each), so that late scores are "
                    + "dropped and repeated candidates dead-lettered however late they come; a score for a candidate settled "
                    + "more than this many settlements ago on its partition is dead-lettered as an orphan instead.").build();
    public static final Setting<Duration> PUNCTUATE_INTERVAL = Setting.duration("punctuate-interval").defaultValue("1s").positive()
            .doc("How often timeouts are checked.").build();
    public static final Setting<Duration> TRANSACTION_CHECK = Setting.duration("transaction-check").defaultValue("30s").nonNegative()
            .doc("How often the joiner looks for hanging transactions (open on a partition, never to be ended by their "
                    + "coordinator, so every read_committed reader stops there) on the partitions it reads and writes, and "
                    + "aborts them; needs ALTER on the cluster, else it logs the kafka-transactions.sh command; 0s: off.").build();
    public static final Setting<Duration> METRICS_INTERVAL = RoleSettings.METRICS_INTERVAL;
    public static final Setting<Integer> STREAM_THREADS = Setting.integer("threads").defaultValue("1").positive()
            .doc("Kafka Streams threads.").build();
    public static final Setting<Path> STATE_DIR = Setting.path("state-dir").defaultValue("runs/joiner-state")
            .doc("Kafka Streams state directory.").build();
    public static final Setting<Boolean> IN_MEMORY_STATE = Setting.flag("in-memory-state")
            .doc("Keep the join state in memory (restored from its changelog on start) instead of RocksDB.").build();
    public static final Setting<Integer> STATE_MEMORY_MB = Setting.integer("state-memory-mb").defaultValue("64").atLeast(8)
            .doc("Native memory bound of the joiner's RocksDB state, in MB: one block cache shared by every store of the "
                    + "process, with the write buffers (up to half of it) charged to it; reopened stores after a rebalance "
                    + "reuse it. Not used with --in-memory-state.").build();

    /** Every joiner setting. */
    public static final List<Setting<?>> ALL = List.of(APPLICATION_ID, JOIN_TIMEOUT, SETTLED_CAPACITY, PUNCTUATE_INTERVAL,
            TRANSACTION_CHECK, METRICS_INTERVAL, STREAM_THREADS, STATE_DIR, IN_MEMORY_STATE, STATE_MEMORY_MB);

    public static final SettingGroup GROUP = new SettingGroup("joiner",
            "`ddpp joiner`: the reward joiner (Kafka Streams), candidates + required scores → `ddpp.rewards` or `ddpp.dlq`.", ALL);
}

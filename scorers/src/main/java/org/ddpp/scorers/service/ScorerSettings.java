package org.ddpp.scorers.service;

import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;

/** A scorer service's scalar settings, defined once (used by {@link ScorerServiceConfig}, {@code ddpp scorer} and the docs). */
public final class ScorerSettings {

    private ScorerSettings() {}

    public static final Setting<String> INSTANCE_ID = Setting.text("instance-id")
            .check("letters, digits, '.', '_' or '-'", v -> v.matches("[A-Za-z0-9._-]+"))
            .doc("Stable id of this instance among the instances of the scorer; its transactional id and "
                    + "static group member id. Give each concurrent instance its own; restart a crashed one with the "
                    + "same id (default: the host name).").build();
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size").defaultValue("64").positive()
            .doc("Candidates per scorer call.").build();
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("max-in-flight").defaultValue("256").positive()
            .doc("Candidates polled, scored and committed per transaction.").build();
    public static final Setting<Integer> PARALLELISM = Setting.integer("parallelism").defaultValue("1").positive()
            .doc("Scorer calls running at once.").build();
    public static final Setting<Integer> CALL_THREADS = Setting.integer("call-threads").defaultValue("0").nonNegative()
            .doc("Threads that run scorer calls, counting calls abandoned at their timeout that still run; when all are "
                    + "busy the next call waits for one up to --call-timeout. At least --parallelism; 0 = twice --parallelism.").build();
    public static final Setting<Duration> CALL_TIMEOUT = Setting.duration("call-timeout").defaultValue("10s").positive()
            .doc("Time one scorer call may take before it is abandoned and retried.").build();
    public static final Setting<Integer> MAX_RETRIES = Setting.integer("max-retries").defaultValue("3").nonNegative()
            .doc("Retries of a failed call before its candidates are scored FAILED.").build();
    public static final Setting<Duration> RETRY_BACKOFF = Setting.duration("retry-backoff").defaultValue("100ms").nonNegative()
            .doc("First pause before a retry, doubled per retry.").build();
    public static final Setting<Duration> MAX_RETRY_BACKOFF = Setting.duration("max-retry-backoff").defaultValue("5s").positive()
            .doc("Longest pause between retries.").build();
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("session-timeout").defaultValue("45s").positive()
            .doc("Consumer session timeout: how long a crashed instance keeps its partitions.").build();
    public static final Setting<Duration> TRANSACTION_TIMEOUT = Setting.duration("transaction-timeout").defaultValue("60s").positive()
            .doc("Producer transaction timeout.").build();
    public static final Setting<Duration> METRICS_INTERVAL = RoleSettings.METRICS_INTERVAL;

    /** Every scorer-service setting. */
    public static final List<Setting<?>> ALL = List.of(INSTANCE_ID, BATCH_SIZE, MAX_IN_FLIGHT, PARALLELISM, CALL_THREADS, CALL_TIMEOUT,
            MAX_RETRIES, RETRY_BACKOFF, MAX_RETRY_BACKOFF, SESSION_TIMEOUT, TRANSACTION_TIMEOUT, METRICS_INTERVAL);

    public static final SettingGroup GROUP = new SettingGroup("scorer",
            "`ddpp scorer`: one scorer as a transactional service, `ddpp.candidates` → `ddpp.scores`.", ALL);
}

package org.ddpp.runtime.config;

import java.time.Duration;

/** Settings that several roles share, defined once here so their default and doc cannot differ between roles. */
public final class RoleSettings {

    private RoleSettings() {}

    /** How often a role publishes its numbers to {@code ddpp.metrics}. */
    public static final Setting<Duration> METRICS_INTERVAL = Setting.duration("metrics-interval").defaultValue("5s")
            .positive().doc("How often metrics go to ddpp.metrics.").build();
}

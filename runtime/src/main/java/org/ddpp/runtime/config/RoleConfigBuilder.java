package org.ddpp.runtime.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.ddpp.runtime.ClusterConnection;

/**
 * What the builders of the Kafka roles' configs (sampler, scorer, joiner, trainer) share besides their settings:
 * the required connection and the optional meter registry of the role's {@code /metrics} endpoint.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public abstract class RoleConfigBuilder<B extends RoleConfigBuilder<B>> extends SettingsBuilder<B> {

    private ClusterConnection connection;
    private MeterRegistry meterRegistry;

    /** Kafka, registry and topic names (required). */
    public final B setConnection(ClusterConnection v) {
        connection = v;
        return self();
    }

    /** Registry of the role's {@code /metrics} endpoint; default: a private in-memory one. */
    public final B optMeterRegistry(MeterRegistry v) {
        meterRegistry = v;
        return self();
    }

    protected final ClusterConnection connection() {
        return connection;
    }

    protected final MeterRegistry meterRegistry() {
        return meterRegistry;
    }
}

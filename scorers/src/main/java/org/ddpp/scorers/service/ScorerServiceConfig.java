package org.ddpp.scorers.service;

import java.net.InetAddress;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.RoleConfigBuilder;

/**
 * Settings of one {@link ScorerService} instance. Built with {@link #builder()}: the {@code set*} values are
 * required, the scalar ones are {@link ScorerSettings} given through {@code opt(setting, value)} (each with its
 * documented default), the meter registry has its own {@code opt*}.
 *
 * @param connection    Kafka, registry and topic names (shared by every role)
 * @param scorer        scorer name (consumer group {@code ddpp-scorer-<name>})
 * @param settings      the {@link ScorerSettings} values; {@code instance-id} is always set (default: the host name)
 * @param meterRegistry where the instance's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record ScorerServiceConfig(ClusterConnection connection, String scorer, Settings settings,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) implements Configured {

    /** Call threads per unit of parallelism when {@code --call-threads} is 0 (its default). */
    public static final int DEFAULT_CALL_THREADS_PER_CALL = 2;

    public ScorerServiceConfig {
        Objects.requireNonNull(connection, "connection is required");
        Objects.requireNonNull(scorer, "scorer is required");
        Objects.requireNonNull(settings, "settings");
        if (settings.get(ScorerSettings.INSTANCE_ID) == null) {
            throw new IllegalArgumentException("instance id is required");
        }
        int parallelism = settings.get(ScorerSettings.PARALLELISM);
        int callThreads = settings.get(ScorerSettings.CALL_THREADS);
        if (callThreads != 0 && callThreads < parallelism) {
            throw new IllegalArgumentException("call threads (" + callThreads + ") must be at least the parallelism ("
                    + parallelism + ")");
        }
    }


    /**
     * Stable id of this instance among the instances of the scorer; a restarted instance with the same id takes
     * over its transactions and group membership at once.
     */
    public String instanceId() {
        return get(ScorerSettings.INSTANCE_ID);
    }

    /**
     * Threads that run scorer calls, counting calls abandoned at their timeout that still run: the
     * {@link ScorerSettings#CALL_THREADS} value, or {@link #DEFAULT_CALL_THREADS_PER_CALL} times the parallelism when
     * it is 0. When all are busy the next call waits for one up to the call timeout, then counts as timed out.
     */
    public int callThreads() {
        int chosen = get(ScorerSettings.CALL_THREADS);
        return chosen > 0 ? chosen : DEFAULT_CALL_THREADS_PER_CALL * get(ScorerSettings.PARALLELISM);
    }

    /** The topic names of this pipeline. */
    public TopicNames topics() {
        return connection.topics();
    }

    /**
     * Consumer group shared by every instance of the scorer: {@code ddpp-scorer-<name>}, renamed like the topics,
     * so isolated pipelines never share a group.
     */
    public String groupId() {
        return connection.topics().scorerGroup(scorer);
    }

    /** Transactional id and static group member id of this instance. */
    public String memberId() {
        return groupId() + "-" + instanceId();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default instance id: this host's name (stable across restarts of a container or machine). */
    public static String defaultInstanceId() {
        try {
            String host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return host.isBlank() ? "0" : host;
        } catch (Exception e) {
            return "0";
        }
    }

    /** Builds a {@link ScorerServiceConfig}. */
    public static final class Builder extends RoleConfigBuilder<Builder> {
        private String scorer;

        public Builder setScorer(String v) { this.scorer = v; return this; }

        public ScorerServiceConfig build() {
            Settings chosen = settings().isSet(ScorerSettings.INSTANCE_ID) ? settings()
                    : settings().with(ScorerSettings.INSTANCE_ID, defaultInstanceId());
            return new ScorerServiceConfig(connection(), scorer, chosen, meterRegistry());
        }
    }
}

package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.ConnectionSettings;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import picocli.CommandLine.Option;

/**
 * The command-line options every role shares, as one picocli mixin: where the cluster and the registry are, the
 * client-config file with their security settings, topic naming for isolated runs, and the start-up and shutdown
 * bounds. Unset options fall back to the environment ({@code DDPP_*}), then to the client-config file, then to the
 * defaults of {@link ConnectionSettings}.
 */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env DDPP_BOOTSTRAP_SERVERS; default: " + ConnectionSettings.DEFAULT_BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL",
            description = "Schema registry URL (env DDPP_SCHEMA_REGISTRY; default: " + ConnectionSettings.DEFAULT_SCHEMA_REGISTRY_URL + ").")
    String schemaRegistry;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Java properties file in Confluent's convention: Kafka client keys (security.protocol, sasl.*, ssl.*) go to "
                    + "every Kafka client of the role, schema.registry.* and basic.auth.* configure the registry client "
                    + "(env DDPP_CLIENT_CONFIG; default: none).")
    Path clientConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of every ddpp topic and consumer-group name, for an isolated pipeline on a shared cluster (env DDPP_TOPIC_PREFIX; default: none).")
    String topicPrefix;

    @Option(names = "--topic-suffix", paramLabel = "SUFFIX",
            description = "Suffix of every ddpp topic and consumer-group name (env DDPP_TOPIC_SUFFIX; default: none).")
    String topicSuffix;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor of the topics created when missing (env DDPP_REPLICATION_FACTOR; default: from the cluster's size: 1 broker 1, 2 brokers 2, 3 or more 3).")
    Integer replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N",
            description = "min.insync.replicas of those topics; producers write with acks=all (env DDPP_MIN_INSYNC_REPLICAS; default: 1, 1, 2 by cluster size).")
    Integer minInsyncReplicas;

    @Option(names = "--startup-timeout", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Give up with one line (exit 2) when Kafka or the registry is not reachable, or refuses the credentials, within this time (default: ${DEFAULT-VALUE}).")
    Duration startupTimeout = StartupCheck.DEFAULT_TIMEOUT;

    @Option(names = "--shutdown-timeout", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "After SIGTERM, exit within this time even when the broker or registry is gone (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout = RoleLifecycle.DEFAULT_SHUTDOWN_TIMEOUT;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus text) and /health on this port; 0 = off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = org.ddpp.ops.observe.MetricsServer.DEFAULT_HOST, paramLabel = "HOST",
            description = "Host the metrics endpoint binds to (default: ${DEFAULT-VALUE}).")
    String metricsHost = org.ddpp.ops.observe.MetricsServer.DEFAULT_HOST;

    private ClusterConnection resolved;
    private Map<String, String> given;
    private io.micrometer.prometheusmetrics.PrometheusMeterRegistry meterRegistry;

    /** The connection these options, the environment and the client-config file describe (resolved once). */
    public ClusterConnection connection() {
        if (resolved == null) {
            resolved = ConnectionSettings.fromProperties(given());
        }
        return resolved;
    }

    /** True when a cluster was named by a flag, the environment or the client-config file (the demo then uses it). */
    public boolean clusterGiven() {
        return given().containsKey(ConnectionSettings.BOOTSTRAP_SERVERS);
    }

    /** True when a registry was named by a flag, the environment or the client-config file. */
    public boolean registryGiven() {
        return given().containsKey(ConnectionSettings.SCHEMA_REGISTRY_URL);
    }

    /** What the flags, the environment and the client-config file say, read once. */
    private Map<String, String> given() {
        if (given == null) {
            given = ConnectionSettings.merged(explicit(), System.getenv());
        }
        return given;
    }

    /** The registry the role's meters go to when {@code --metrics-port} is set; null otherwise. */
    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meterRegistry() {
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, got " + metricsPort);
        }
        if (metricsPort > 0 && meterRegistry == null) {
            meterRegistry = org.ddpp.ops.observe.MetricsServer.newRegistry();
        }
        return meterRegistry;
    }

    /**
     * Starts {@code /metrics} and {@code /health} on {@code --metrics-port} (nothing when it is 0); the returned
     * handle stops it.
     */
    public AutoCloseable serveMetrics(java.util.function.BooleanSupplier live, java.util.function.BooleanSupplier ready) {
        if (meterRegistry() == null) {
            return () -> { };
        }
        org.ddpp.ops.observe.MetricsServer server = org.ddpp.ops.observe.MetricsServer.start(metricsHost, metricsPort,
                meterRegistry, live, ready);
        System.out.println("metrics: " + server.url() + "/metrics");
        return server;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    private Map<String, String> explicit() {
        Map<String, String> m = new HashMap<>();
        put(m, ConnectionSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        put(m, ConnectionSettings.SCHEMA_REGISTRY_URL, schemaRegistry);
        put(m, ConnectionSettings.CLIENT_CONFIG, clientConfig == null ? null : clientConfig.toString());
        put(m, ConnectionSettings.TOPIC_PREFIX, topicPrefix);
        put(m, ConnectionSettings.TOPIC_SUFFIX, topicSuffix);
        put(m, ConnectionSettings.REPLICATION_FACTOR, replicationFactor == null ? null : replicationFactor.toString());
        put(m, ConnectionSettings.MIN_INSYNC_REPLICAS, minInsyncReplicas == null ? null : minInsyncReplicas.toString());
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}

package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.ConnectionSettings;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.runtime.config.Settings;

/**
 * The command-line settings every role shares, defined once ({@link #ALL}; a command lists them among its settings
 * and reads them through {@link RoleCommand#connection()}): where the cluster and the registry are, the client-config
 * file with their security settings, topic naming for isolated runs, replication of created topics, the start-up and
 * shutdown bounds and the metrics endpoint. Unset connection values fall back to the environment
 * ({@code DDPP_*}), then to the client-config file, then to the defaults of {@link ConnectionSettings}; that is why
 * they have no default here.
 */
public final class ConnectionOptions {

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("bootstrap-servers").valueLabel("HOST:PORT[,...]").notBlank()
            .doc("Kafka bootstrap servers, HOST:PORT[,...] (env DDPP_BOOTSTRAP_SERVERS; default: "
                    + ConnectionSettings.DEFAULT_BOOTSTRAP_SERVERS + ").").build();
    public static final Setting<String> SCHEMA_REGISTRY = Setting.text("schema-registry").valueLabel("URL").notBlank()
            .doc("Schema registry URL (env DDPP_SCHEMA_REGISTRY; default: " + ConnectionSettings.DEFAULT_SCHEMA_REGISTRY_URL + ").").build();
    public static final Setting<Path> CLIENT_CONFIG = Setting.path("client-config").valueLabel("FILE")
            .doc("Java properties file in Confluent's convention: Kafka client keys (security.protocol, sasl.*, ssl.*) go to "
                    + "every Kafka client of the role, schema.registry.* and basic.auth.* configure the registry client "
                    + "(env DDPP_CLIENT_CONFIG; default: none).").build();
    public static final Setting<String> TOPIC_PREFIX = Setting.text("topic-prefix").valueLabel("PREFIX")
            .doc("Prefix of every ddpp topic and consumer-group name, for an isolated pipeline on a shared cluster "
                    + "(env DDPP_TOPIC_PREFIX; default: none).").build();
    public static final Setting<String> TOPIC_SUFFIX = Setting.text("topic-suffix").valueLabel("SUFFIX")
            .doc("Suffix of every ddpp topic and consumer-group name (env DDPP_TOPIC_SUFFIX; default: none).").build();
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.integer("replication-factor").valueLabel("N")
            .doc("Replication factor of the topics created when missing (env DDPP_REPLICATION_FACTOR; default: from the "
                    + "cluster's size: 1 broker 1, 2 brokers 2, 3 or more 3).").build();
    public static final Setting<Integer> MIN_INSYNC_REPLICAS = Setting.integer("min-insync-replicas").valueLabel("N")
            .doc("min.insync.replicas of those topics; producers write with acks=all (env DDPP_MIN_INSYNC_REPLICAS; "
                    + "default: 1, 1, 2 by cluster size).").build();
    public static final Setting<Duration> STARTUP_TIMEOUT = RoleSettings.STARTUP_TIMEOUT;
    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.duration("shutdown-timeout").valueLabel("DURATION").defaultValue("30s").positive()
            .doc("After SIGTERM, exit within this time even when the broker or registry is gone.").build();
    public static final Setting<Integer> METRICS_PORT = Setting.integer("metrics-port").valueLabel("PORT").defaultValue("0").port()
            .doc("Serve /metrics (Prometheus text) and /health on this port; 0 = off.").build();
    public static final Setting<String> METRICS_HOST = Setting.text("metrics-host").valueLabel("HOST")
            .defaultValue(org.ddpp.ops.observe.MetricsServer.DEFAULT_HOST).notBlank()
            .doc("Host the metrics endpoint binds to.").build();

    /** Every shared setting, as each role command offers them. */
    public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY, CLIENT_CONFIG, TOPIC_PREFIX,
            TOPIC_SUFFIX, REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, STARTUP_TIMEOUT, SHUTDOWN_TIMEOUT, METRICS_PORT, METRICS_HOST);

    public static final SettingGroup GROUP = new SettingGroup("connection",
            "Shared by `ddpp sampler`, `scorer`, `joiner`, `trainer`, `registry`, `demo`, `topics create|describe` and "
                    + "`bench pipeline`: where the cluster and the registry are, security, topic naming, replication, "
                    + "start-up and shutdown bounds, the metrics endpoint. Unset connection values come from the "
                    + "environment, then the client-config file, then the defaults named.", ALL);

    private final Settings values;
    private ClusterConnection resolved;
    private Map<String, String> given;
    private io.micrometer.prometheusmetrics.PrometheusMeterRegistry meterRegistry;

    private ConnectionOptions(Settings values) {
        this.values = values;
    }

    /** The options {@code values} (what a command parsed) name. */
    public static ConnectionOptions of(Settings values) {
        return new ConnectionOptions(values);
    }

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
        if (values.get(METRICS_PORT) > 0 && meterRegistry == null) {
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
        org.ddpp.ops.observe.MetricsServer server = org.ddpp.ops.observe.MetricsServer.start(values.get(METRICS_HOST),
                values.get(METRICS_PORT), meterRegistry, live, ready);
        System.out.println("metrics: " + server.url() + "/metrics");
        return server;
    }

    public Duration startupTimeout() {
        return values.get(STARTUP_TIMEOUT);
    }

    public Duration shutdownTimeout() {
        return values.get(SHUTDOWN_TIMEOUT);
    }

    private Map<String, String> explicit() {
        Map<String, String> m = new HashMap<>();
        put(m, ConnectionSettings.BOOTSTRAP_SERVERS, BOOTSTRAP_SERVERS);
        put(m, ConnectionSettings.SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY);
        put(m, ConnectionSettings.CLIENT_CONFIG, CLIENT_CONFIG);
        put(m, ConnectionSettings.TOPIC_PREFIX, TOPIC_PREFIX);
        put(m, ConnectionSettings.TOPIC_SUFFIX, TOPIC_SUFFIX);
        put(m, ConnectionSettings.REPLICATION_FACTOR, REPLICATION_FACTOR);
        put(m, ConnectionSettings.MIN_INSYNC_REPLICAS, MIN_INSYNC_REPLICAS);
        return m;
    }

    private void put(Map<String, String> m, String key, Setting<?> setting) {
        Object value = values.get(setting);
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}

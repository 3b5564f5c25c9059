package org.ddpp.runtime;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.serde.SerdeConfig;

/**
 * The settings every role shares, defined once (Kafka {@link ConfigDef} style: name, type, default, doc,
 * validation) and resolved into a {@link ClusterConnection}. Three sources, highest first:
 * <ol>
 *   <li>explicit values (the command line's {@code --bootstrap-servers}, {@code --schema-registry},
 *       {@code --client-config}, {@code --topic-prefix}, {@code --topic-suffix});</li>
 *   <li>the environment ({@code DDPP_BOOTSTRAP_SERVERS}, {@code DDPP_SCHEMA_REGISTRY}, {@code DDPP_CLIENT_CONFIG},
 *       {@code DDPP_TOPIC_PREFIX}, {@code DDPP_TOPIC_SUFFIX}), so a container needs no flags;</li>
 *   <li>the client-config file: a Java properties file in Confluent's convention. Kafka client keys
 *       ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location},
 *       {@code ssl.keystore.*}, …) go to every Kafka client of the role; {@code schema.registry.*},
 *       {@code basic.auth.credentials.source} and {@code basic.auth.user.info} configure the registry client.</li>
 * </ol>
 * Every error (missing file, unknown credentials source, bad value) is one readable {@link IllegalArgumentException}.
 */
public final class ConnectionSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = SerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String CLIENT_CONFIG = "ddpp.client.config";
    public static final String TOPIC_PREFIX = "ddpp.topic.prefix";
    public static final String TOPIC_SUFFIX = "ddpp.topic.suffix";
    public static final String REPLICATION_FACTOR = "ddpp.replication.factor";
    public static final String MIN_INSYNC_REPLICAS = "ddpp.min.insync.replicas";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = SerdeConfig.BASIC_AUTH_USER_INFO;
    /** Confluent Cloud's client files spell the registry's user info with the {@code schema.registry.} prefix. */
    public static final String PREFIXED_USER_INFO = "schema.registry." + USER_INFO;

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081";

    /** Environment variable of each explicit setting. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            BOOTSTRAP_SERVERS, "DDPP_BOOTSTRAP_SERVERS",
            SCHEMA_REGISTRY_URL, "DDPP_SCHEMA_REGISTRY",
            CLIENT_CONFIG, "DDPP_CLIENT_CONFIG",
            TOPIC_PREFIX, "DDPP_TOPIC_PREFIX",
            TOPIC_SUFFIX, "DDPP_TOPIC_SUFFIX",
            REPLICATION_FACTOR, "DDPP_REPLICATION_FACTOR",
            MIN_INSYNC_REPLICAS, "DDPP_MIN_INSYNC_REPLICAS");

    /** The shared settings: names, types, defaults and docs. */
    public static final ConfigDef DEF = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, DEFAULT_BOOTSTRAP_SERVERS, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka bootstrap servers, host:port[,host:port...].")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, DEFAULT_SCHEMA_REGISTRY_URL, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Base URL of the Confluent-compatible schema registry.")
            .define(CLIENT_CONFIG, Type.STRING, "", Importance.HIGH,
                    "Java properties file with Kafka client and schema.registry.* keys (Confluent's convention); empty = none.")
            .define(TOPIC_PREFIX, Type.STRING, "", Importance.LOW,
                    "Prefix of every ddpp topic and consumer-group name, for isolated runs on a shared cluster.")
            .define(TOPIC_SUFFIX, Type.STRING, "", Importance.LOW,
                    "Suffix of every ddpp topic and consumer-group name, for isolated runs on a shared cluster.")
            .define(REPLICATION_FACTOR, Type.INT, 0, ConfigDef.Range.between(0, 32), Importance.MEDIUM,
                    "Replication factor of the topics a role creates when they are missing; 0 = from the cluster's size "
                            + "(1 on one broker, 2 on two, 3 on three or more).")
            .define(MIN_INSYNC_REPLICAS, Type.INT, 0, ConfigDef.Range.between(0, 32), Importance.MEDIUM,
                    "min.insync.replicas of those topics (producers use acks=all); 0 = from the factor (1, 1, 2).")
            .define(CREDENTIALS_SOURCE, Type.STRING, "USER_INFO",
                    ConfigDef.ValidString.in("USER_INFO", "URL", "SASL_INHERIT"), Importance.MEDIUM,
                    "Where the registry's basic-auth credentials come from: USER_INFO (basic.auth.user.info), URL "
                            + "(user:password@ in schema.registry.url) or SASL_INHERIT (the PLAIN/SCRAM user of sasl.jaas.config).")
            .define(USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                    "Registry basic auth as user:password (also read as schema.registry.basic.auth.user.info).");

    private static final Pattern JAAS_OPTION = Pattern.compile("(username|password)\\s*=\\s*\"([^\"]*)\"");

    private ConnectionSettings() {}

    /** Resolves explicit values (keys of {@link #DEF}; null or absent = not given) over this process's environment. */
    public static ClusterConnection resolve(Map<String, String> explicit) {
        return resolve(explicit, System.getenv());
    }

    /** Resolves explicit values over {@code environment} over the client-config file over the defaults. */
    public static ClusterConnection resolve(Map<String, String> explicit, Map<String, String> environment) {
        return fromProperties(merged(explicit, environment));
    }

    /**
     * The flat settings the sources give before defaults apply: the client-config file's keys, overridden by the
     * environment's, overridden by the explicit values. A key is present only when some source named it (the demo
     * asks whether a cluster was given at all).
     */
    public static Map<String, String> merged(Map<String, String> explicit, Map<String, String> environment) {
        Map<String, String> chosen = new HashMap<>();
        ENVIRONMENT.forEach((key, variable) -> {
            String value = explicit.get(key);
            if (value == null) {
                value = environment.get(variable);
            }
            if (value != null) {
                chosen.put(key, value);
            }
        });
        Map<String, String> merged = new LinkedHashMap<>();
        String file = chosen.get(CLIENT_CONFIG);
        if (file != null && !file.isBlank()) {
            merged.putAll(load(Path.of(file)));
        }
        merged.putAll(chosen);
        return merged;
    }

    /** Builds the connection from one flat map of shared, Kafka-client and registry keys. */
    public static ClusterConnection fromProperties(Map<String, String> all) {
        Map<String, String> props = new HashMap<>(all);
        if (props.containsKey(PREFIXED_USER_INFO) && !props.containsKey(USER_INFO)) {
            props.put(USER_INFO, props.get(PREFIXED_USER_INFO));
        }
        AbstractConfig shared;
        try {
            shared = new AbstractConfig(DEF, props, false);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("connection settings: " + e.getMessage(), e);
        }
        Map<String, String> kafka = new HashMap<>();
        Map<String, Object> registry = new HashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
                registry.put(key, value);
            } else if (!key.startsWith("ddpp.") && !key.equals(BOOTSTRAP_SERVERS)) {
                kafka.put(key, value);
            }
        });
        registry.remove(PREFIXED_USER_INFO);
        registry.remove(CREDENTIALS_SOURCE);
        String url = shared.getString(SCHEMA_REGISTRY_URL);
        String userInfo = shared.getPassword(USER_INFO).value();
        switch (shared.getString(CREDENTIALS_SOURCE)) {
            case "URL" -> {
                URI uri = URI.create(url);
                if (uri.getUserInfo() == null) {
                    throw new IllegalArgumentException("basic.auth.credentials.source=URL but " + uri.getHost()
                            + " in schema.registry.url carries no user:password@");
                }
                userInfo = uri.getRawUserInfo();
                url = url.replace(uri.getRawUserInfo() + "@", "");
            }
            case "SASL_INHERIT" -> userInfo = fromJaas(kafka.get("sasl.jaas.config"));
            default -> { }
        }
        registry.put(SCHEMA_REGISTRY_URL, url);
        registry.put(USER_INFO, userInfo);
        RegistryClientConfig registryConfig;
        try {
            registryConfig = new SerdeConfig(registry).clientConfig();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("schema registry settings: " + e.getMessage(), e);
        }
        TopicNames names = TopicNames.isolated(shared.getString(TOPIC_PREFIX), shared.getString(TOPIC_SUFFIX));
        org.ddpp.schemas.Replication replication;
        try {
            replication = org.ddpp.schemas.Replication.of(shared.getInt(REPLICATION_FACTOR), shared.getInt(MIN_INSYNC_REPLICAS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connection settings: " + e.getMessage(), e);
        }
        return new ClusterConnection(shared.getString(BOOTSTRAP_SERVERS), kafka, registryConfig, names, replication);
    }

    /** Reads a client-config file; a missing or unreadable file is one readable line. */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client config " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read client config " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    private static String fromJaas(String jaas) {
        if (jaas == null) {
            throw new IllegalArgumentException("basic.auth.credentials.source=SASL_INHERIT but sasl.jaas.config is not set");
        }
        String user = null;
        String password = null;
        Matcher m = JAAS_OPTION.matcher(jaas);
        while (m.find()) {
            if (m.group(1).equals("username")) {
                user = m.group(2);
            } else {
                password = m.group(2);
            }
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException("basic.auth.credentials.source=SASL_INHERIT but sasl.jaas.config has no username and password");
        }
        return user + ":" + password;
    }
}

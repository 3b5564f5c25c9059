package org.ddpp.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ddpp.schemas.Replication;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * How one role reaches the cluster: the Kafka bootstrap servers, the Kafka client properties every client of the
 * role gets (security: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, timeouts), the schema-registry
 * client settings (URL, basic auth, TLS trust) and the pipeline's topic and group names. Built from the shared
 * settings by {@link ConnectionSettings}, or with {@link #local} for an unsecured cluster (the embedded stack and
 * tests). Every producer, consumer, admin and Kafka Streams client of a role takes its properties from here, so a
 * secured cluster needs no per-role setting.
 *
 * @param bootstrapServers Kafka {@code host:port} list
 * @param kafkaProperties  extra Kafka client properties, given to every client that knows the key
 * @param registry         schema-registry client settings
 * @param topics           topic and group names
 * @param replication      replication of the topics this pipeline creates when they are missing
 */
public record ClusterConnection(
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        RegistryClientConfig registry,
        TopicNames topics,
        Replication replication) {

    private static final Set<String> PRODUCER_KEYS = ProducerConfig.configNames();
    private static final Set<String> CONSUMER_KEYS = ConsumerConfig.configNames();
    private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

    public ClusterConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(replication, "replication");
    }

    /** A connection whose missing topics get {@link Replication#AUTO} replication. */
    public ClusterConnection(String bootstrapServers, Map<String, String> kafkaProperties, RegistryClientConfig registry,
            TopicNames topics) {
        this(bootstrapServers, kafkaProperties, registry, topics, Replication.AUTO);
    }

    /** An unsecured cluster at {@code bootstrapServers} with the registry at {@code registryUrl} and default names. */
    public static ClusterConnection local(String bootstrapServers, String registryUrl) {
        return new ClusterConnection(bootstrapServers, Map.of(), RegistryClientConfig.of(registryUrl), TopicNames.DEFAULT);
    }

    /** The same connection with other topic and group names. */
    public ClusterConnection withTopics(TopicNames names) {
        return new ClusterConnection(bootstrapServers, kafkaProperties, registry, names, replication);
    }

    /** The schema registry's base URL. */
    public String registryUrl() {
        return registry.url().toString();
    }

    /**
     * Properties for a producer: bootstrap servers, client id, {@code acks=all} with idempotence (an acknowledged
     * record is on {@code min.insync.replicas} brokers and written once), and every configured key a producer knows
     * (which may override those two).
     */
    public Map<String, Object> producerProperties(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(properties(clientId, PRODUCER_KEYS));
        return p;
    }

    /** Properties for a consumer: bootstrap servers, client id and every configured key a consumer knows. */
    public Map<String, Object> consumerProperties(String clientId) {
        return properties(clientId, CONSUMER_KEYS);
    }

    /** Properties for an admin client: bootstrap servers, client id and every configured key an admin knows. */
    public Map<String, Object> adminProperties(String clientId) {
        return properties(clientId, ADMIN_KEYS);
    }

    /**
     * Properties for Kafka Streams: bootstrap servers and every configured client key (Streams hands them on to
     * its producers, consumers and admin). Streams' own keys are the caller's.
     */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> p = new HashMap<>();
        kafkaProperties.forEach((k, v) -> {
            if (PRODUCER_KEYS.contains(k) || CONSUMER_KEYS.contains(k) || ADMIN_KEYS.contains(k)) {
                p.put(k, v);
            }
        });
        p.remove(CommonClientConfigs.CLIENT_ID_CONFIG);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** An admin client for this cluster. */
    public Admin admin(String clientId) {
        return Admin.create(adminProperties(clientId));
    }

    /**
     * Creates every topic of this pipeline ({@link TopicNames#specs()}) that is missing, with this connection's
     * {@link #replication()}; returns the names it created. What every role does before it starts, and the demo too.
     */
    public java.util.Set<String> createMissingTopics() {
        try (Admin admin = admin("ddpp-topics")) {
            return org.ddpp.schemas.Topics.create(admin, topics.specs(), replication);
        }
    }

    /** {@link #replication()} with its automatic parts decided from the cluster's size (asks the cluster). */
    public Replication resolvedReplication() {
        try (Admin admin = admin("ddpp-replication")) {
            return replication.resolve(admin);
        }
    }

    /** A registry client with the configured credentials and trust. */
    public SchemaRegistryClient registryClient() {
        return new SchemaRegistryClient(registry);
    }

    /** A caching registry for per-record use by serdes. */
    public CachedSchemaRegistry cachedRegistry() {
        return new CachedSchemaRegistry(registryClient());
    }

    private Map<String, Object> properties(String clientId, Set<String> known) {
        Map<String, Object> p = new HashMap<>();
        kafkaProperties.forEach((k, v) -> {
            if (known.contains(k)) {
                p.put(k, v);
            }
        });
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (clientId != null) {
            p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId); // one id per client: metrics and quotas tell them apart
        }
        return p;
    }

    /** Names the cluster, the registry and the configured keys, never their values (they may hold secrets). */
    @Override
    public String toString() {
        return "ClusterConnection[bootstrap=" + bootstrapServers + ", registry=" + registry.url()
                + (registry.basicAuthUserInfo().isPresent() ? " (basic auth)" : "") + ", kafka keys="
                + new java.util.TreeSet<>(kafkaProperties.keySet()) + ", topics=" + topics + "]";
    }
}

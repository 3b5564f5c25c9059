package org.ddpp.schemas;

import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.ddpp.schemas.serde.AvroSerdes;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * One topic of ddpp-stream with everything needed to create it and to read and write it: name, partitions,
 * cleanup policy, and the key and value types that decide the serdes (generated Avro classes use the registry,
 * {@code String} and {@code byte[]} use Kafka's plain serdes). Instances live in {@link Topics}.
 *
 * @param name        topic name
 * @param partitions  partitions created by default
 * @param compacted   true for cleanup.policy=compact (latest value per key), false for delete
 * @param keyType     key type: String, byte[] or a generated Avro class
 * @param valueType   value type: String, byte[] or a generated Avro class
 * @param doc         what the topic carries
 */
public record TopicSpec<K, V>(
        String name, int partitions, boolean compacted, Class<K> keyType, Class<V> valueType, String doc) {

    /** The topic's {@code cleanup.policy}. */
    public String cleanupPolicy() {
        return compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
    }

    /**
     * The admin request that creates the topic with its partitions, cleanup policy and {@code replication}
     * (resolved: a factor of 0 leaves it to the cluster's {@code default.replication.factor} and
     * {@code min.insync.replicas}).
     */
    public NewTopic newTopic(Replication replication) {
        Map<String, String> configs = new java.util.HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy()));
        if (replication.minInsyncReplicas() > 0) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        }
        return new NewTopic(name, Optional.of(partitions),
                        replication.factor() > 0 ? Optional.of(replication.factor()) : Optional.empty())
                .configs(configs);
    }

    /** The value's Avro subject under the TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    public Serde<K> keySerde(CachedSchemaRegistry registry, boolean autoRegister) {
        return serde(keyType, registry, autoRegister, true);
    }

    public Serde<V> valueSerde(CachedSchemaRegistry registry, boolean autoRegister) {
        return serde(valueType, registry, autoRegister, false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serde<T> serde(Class<T> type, CachedSchemaRegistry registry, boolean autoRegister, boolean isKey) {
        if (type == String.class) {
            return (Serde<T>) Serdes.String();
        }
        if (type == byte[].class) {
            return (Serde<T>) Serdes.ByteArray();
        }
        if (SpecificRecord.class.isAssignableFrom(type)) {
            return (Serde<T>) AvroSerdes.specific((Class) type, registry, autoRegister, isKey);
        }
        throw new IllegalArgumentException("no serde for " + type.getName());
    }
}

package org.ddpp.schemas.dlq;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes raw consumer records with the given deserializers and dead-letters every record that fails, so a
 * consumer reads {@code byte[]} records, keeps going past bad input, and never loses it.
 */
public final class RecordDecoder<K, V> {

    /** A record that decoded: its typed key and value (null for a tombstone) and the raw record it came from. */
    public record Decoded<K, V>(K key, V value, ConsumerRecord<byte[], byte[]> raw) {}

    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final DeadLetterPublisher deadLetters;
    private final String stage;

    public RecordDecoder(Deserializer<K> keys, Deserializer<V> values, DeadLetterPublisher deadLetters, String stage) {
        this.keys = keys;
        this.values = values;
        this.deadLetters = deadLetters;
        this.stage = stage;
    }

    /**
     * The decoded record, or empty after dead-lettering it. A null value (a tombstone on a compacted topic) decodes
     * to a null value; the caller decides what it means.
     */
    public Optional<Decoded<K, V>> decode(ConsumerRecord<byte[], byte[]> record) {
        K key;
        try {
            key = keys.deserialize(record.topic(), record.headers(), record.key());
        } catch (RuntimeException e) {
            deadLetters.publish(record, stage, "undecodable key: " + e.getMessage(), e);
            return Optional.empty();
        }
        V value;
        try {
            value = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            deadLetters.publish(record, stage, "undecodable value: " + e.getMessage(), e);
            return Optional.empty();
        }
        return Optional.of(new Decoded<>(key, value, record));
    }
}

package org.ddpp.schemas.dlq;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.registry.RegistryOutageException;

/**
 * Decodes raw consumer records with the given deserializers and dead-letters every record that fails, so a
 * consumer reads {@code byte[]} records, keeps going past bad input, and never loses it. A failure caused by an
 * unreachable registry is not the record's fault: it is thrown as {@link RegistryOutageException} (nothing is
 * dead-lettered) so the reader can go back to the record and try again.
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
            rethrowIfOutage(record, e);
            deadLetters.publish(record, stage, "undecodable key: " + e.getMessage(), e);
            return Optional.empty();
        }
        V value;
        try {
            value = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            rethrowIfOutage(record, e);
            deadLetters.publish(record, stage, "undecodable value: " + e.getMessage(), e);
            return Optional.empty();
        }
        return Optional.of(new Decoded<>(key, value, record));
    }

    private static void rethrowIfOutage(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        if (RegistryOutageException.isCause(e)) {
            throw new RegistryOutageException("schema registry unavailable while decoding " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e);
        }
    }
}

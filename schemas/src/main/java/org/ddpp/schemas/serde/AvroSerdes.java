package org.ddpp.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Builds Kafka {@link Serde}s for generated Avro classes over one shared {@link CachedSchemaRegistry}, so
 * producers, consumers and Kafka Streams topologies all use the same wire format and cache.
 */
public final class AvroSerdes {

    private AvroSerdes() {}

    /** A serde for the generated class {@code type}, as a key ({@code <topic>-key}) or value subject. */
    public static <T extends SpecificRecord> Serde<T> specific(
            Class<T> type, CachedSchemaRegistry registry, boolean autoRegister, boolean isKey) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, autoRegister, isKey), new AvroDeserializer<>(registry, type));
    }
}

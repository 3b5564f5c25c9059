package org.ddpp.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.registry.SchemaRegistryException;

/**
 * Kafka serializer that writes Avro records (generated or generic) in the Confluent wire format under the
 * TopicNameStrategy subject ({@code <topic>-value} or {@code <topic>-key}), registering the writer schema when
 * {@code auto.register.schemas} is on. Usable by class name in producer properties (see {@link SerdeConfig}) or
 * built directly with a shared {@link CachedSchemaRegistry}.
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private CachedSchemaRegistry registry;
    private boolean autoRegister = true;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's class-name configuration; {@link #configure} must follow. */
    public AvroSerializer() {}

    public AvroSerializer(CachedSchemaRegistry registry, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        this.registry = new CachedSchemaRegistry(new SchemaRegistryClient(config.clientConfig()));
        this.autoRegister = config.autoRegister();
        this.isKey = isKey;
    }

    /** The TopicNameStrategy subject for a topic. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Schema schema = data.getSchema();
        String subject = subject(topic, isKey);
        int id;
        try {
            id = registry.idFor(subject, schema, autoRegister);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for subject " + subject + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, s -> writerFor(data, s)).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for " + subject + ": " + e, e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(GenericContainer data, Schema schema) {
        return data instanceof SpecificRecord ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema);
    }
}

package org.ddpp.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.registry.SchemaRegistryException;

/**
 * Kafka deserializer for the Confluent wire format. It fetches the writer schema by the id in the record (once
 * per id) and resolves it against the reader schema of the generated class it was given, so a record written
 * with an older compatible schema reads into the newer class. Without a class it returns
 * {@link org.apache.avro.generic.GenericRecord}s in the writer's schema. Every failure is a
 * {@link SerializationException} whose message says what is wrong with the bytes, ready for a dead letter.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private CachedSchemaRegistry registry;
    private Schema readerSchema;
    private Class<?> readerClass;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's class-name configuration; {@link #configure} must follow. */
    public AvroDeserializer() {}

    /** Reads into {@code type} (a generated class), or generic records when {@code type} is null. */
    public AvroDeserializer(CachedSchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        setReaderClass(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        this.registry = new CachedSchemaRegistry(new SchemaRegistryClient(config.clientConfig()));
        setReaderClass(config.readerClass());
    }

    private void setReaderClass(Class<?> type) {
        if (type != null && SpecificRecord.class.isAssignableFrom(type)) {
            this.readerClass = type;
            this.readerSchema = SpecificData.get().getSchema(type);
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = WireFormat.schemaId(bytes);
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
                    ? "schema id " + id + " is unknown to the registry (error 40403)"
                    : "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                bytes, WireFormat.HEADER_LENGTH, bytes.length - WireFormat.HEADER_LENGTH, null);
        T value;
        try {
            value = readers.computeIfAbsent(id, key -> readerFor(writer)).read(null, decoder);
        } catch (EOFException e) {
            throw new SerializationException("truncated Avro payload: " + (bytes.length - WireFormat.HEADER_LENGTH)
                    + " bytes end inside a " + writer.getFullName() + " (schema id " + id + ")", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException | IllegalArgumentException e) {
            throw new SerializationException("corrupt Avro payload for " + writer.getFullName() + " (schema id " + id
                    + "): " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("corrupt Avro payload: trailing bytes after a " + writer.getFullName()
                        + " (schema id " + id + ")");
            }
        } catch (IOException e) {
            throw new SerializationException("corrupt Avro payload: " + e, e);
        }
        return value;
    }

    private DatumReader<T> readerFor(Schema writer) {
        if (readerClass == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(readerClass));
    }
}

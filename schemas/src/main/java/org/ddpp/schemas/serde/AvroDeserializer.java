package org.ddpp.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
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
 *
 * <p>Bytes are untrusted. Decoding is bounded by {@link DecodeLimits} (defaults, or {@link SerdeConfig}): a record
 * longer than {@code ddpp.avro.max.record.bytes} is refused unread; a writer schema that is recursive, too deep,
 * or has arrays of zero-byte items is refused ({@link WriterSchemaCheck}); and every string, bytes and collection
 * length is checked against the bytes left in the record before anything is allocated for it
 * ({@link BoundedDecoder}). So, for any input up to the size limit, {@link #deserialize} returns a value or throws
 * {@link SerializationException}: it never throws {@link OutOfMemoryError} or {@link StackOverflowError} because of
 * the bytes. The heap one record needs is a small multiple of its length (plus, for a writer schema with a fixed
 * type, that type's size, itself at most the record limit), and the recursion is bounded by the writer schema's
 * depth. These errors are prevented, not caught: a JVM that is short of memory for other reasons can still throw
 * them. This is the only Avro reader of the project; any new
 * code that reads Avro bytes should go through it.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    static {
        AvroSystemLimits.ensureInstalled();
    }

    private CachedSchemaRegistry registry;
    private Schema readerSchema;
    private Class<?> readerClass;
    private DecodeLimits limits = DecodeLimits.DEFAULTS;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's class-name configuration; {@link #configure} must follow. */
    public AvroDeserializer() {}

    /** Reads into {@code type} (a generated class), or generic records when {@code type} is null, within the default limits. */
    public AvroDeserializer(CachedSchemaRegistry registry, Class<T> type) {
        this(registry, type, DecodeLimits.DEFAULTS);
    }

    /** Reads into {@code type} (or generic records when null) within {@code limits}. */
    public AvroDeserializer(CachedSchemaRegistry registry, Class<T> type, DecodeLimits limits) {
        this.registry = registry;
        setReaderClass(type);
        setLimits(limits);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        this.registry = new CachedSchemaRegistry(new SchemaRegistryClient(config.clientConfig()));
        setReaderClass(config.readerClass());
        setLimits(config.decodeLimits());
    }

    private void setReaderClass(Class<?> type) {
        if (type != null && SpecificRecord.class.isAssignableFrom(type)) {
            this.readerClass = type;
            this.readerSchema = SpecificData.get().getSchema(type);
        }
    }

    private void setLimits(DecodeLimits limits) {
        if (!AvroSystemLimits.allows(limits.maxRecordBytes())) {
            throw new ConfigException(DecodeLimits.MAX_RECORD_BYTES + "=" + limits.maxRecordBytes() + " is above Avro's "
                    + "JVM-wide limits, which Avro reads once per JVM; start the JVM with -D"
                    + String.join("=N -D", AvroSystemLimits.PROPERTIES) + "=N for N at least that large");
        }
        this.limits = limits;
    }

    /** The limits this deserializer decodes within. */
    public DecodeLimits limits() {
        return limits;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > limits.maxRecordBytes()) {
            throw new SerializationException("record of " + bytes.length + " bytes is longer than "
                    + DecodeLimits.MAX_RECORD_BYTES + "=" + limits.maxRecordBytes() + "; not decoded");
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
        String what = writer.getFullName() + " (schema id " + id + ")";
        DatumReader<T> reader = readers.computeIfAbsent(id, key -> readerFor(writer, what));
        int payload = bytes.length - WireFormat.HEADER_LENGTH;
        BoundedDecoder decoder = new BoundedDecoder(bytes, WireFormat.HEADER_LENGTH, payload);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new SerializationException("truncated Avro payload: " + payload + " bytes end inside a " + what, e);
        } catch (SerializationException e) {
            throw new SerializationException("corrupt Avro payload for " + what + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Anything Avro's reader throws on these bytes (AvroRuntimeException, IndexOutOfBoundsException for an
            // enum or union index, ClassCastException, ...) means the same thing: they are not a valid record.
            throw new SerializationException("corrupt Avro payload for " + what + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("corrupt Avro payload: trailing bytes after a " + what);
            }
        } catch (IOException e) {
            throw new SerializationException("corrupt Avro payload: " + e, e);
        }
        return value;
    }

    private DatumReader<T> readerFor(Schema writer, String what) {
        WriterSchemaCheck.check(writer, limits, what);
        if (readerClass == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(readerClass));
    }
}

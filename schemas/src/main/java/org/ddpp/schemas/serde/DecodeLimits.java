package org.ddpp.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * How much a crafted record may make the Avro decoder do: the one place the decode limits of ddpp-stream are
 * defined, with their defaults, in Kafka's {@link ConfigDef} style (they are part of {@link SerdeConfig#DEF}).
 * {@link AvroDeserializer} applies them to every record before and while decoding it:
 * <ul>
 *   <li>{@value #MAX_RECORD_BYTES}: records longer than this are refused before anything is decoded;</li>
 *   <li>every string, bytes and collection length prefix is checked against the bytes actually left in the
 *       record ({@link BoundedDecoder}), so no length can allocate more than the record could hold;</li>
 *   <li>{@value #MAX_SCHEMA_DEPTH}: writer schemas nested deeper than this, recursive writer schemas and writer
 *       schemas with arrays of zero-byte items are refused ({@link WriterSchemaCheck}), which bounds the
 *       decoder's recursion and makes every item cost at least one byte.</li>
 * </ul>
 * Avro's own JVM-wide limits are set from {@link #DEFAULT_MAX_RECORD_BYTES} as a backstop for any other Avro
 * decoder in the process ({@link AvroSystemLimits}).
 *
 * @param maxRecordBytes longest record value or key, header included, that is decoded at all
 * @param maxSchemaDepth deepest writer schema nesting (records, arrays, maps, unions) that is decoded
 */
public record DecodeLimits(int maxRecordBytes, int maxSchemaDepth) {

    public static final String MAX_RECORD_BYTES = "ddpp.avro.max.record.bytes";
    public static final String MAX_SCHEMA_DEPTH = "ddpp.avro.max.schema.depth";

    /**
     * 8 MiB: eight times Kafka's default {@code max.message.bytes} (1 MiB), so no record a default broker
     * accepts is refused, including a dead letter that carries such a record; small enough that decoding the
     * largest allowed record stays a few tens of MiB of heap.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
    /** 32: the project's deepest value schema (DeadLetter) nests 5 levels. */
    public static final int DEFAULT_MAX_SCHEMA_DEPTH = 32;

    /** The defaults above. */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_SCHEMA_DEPTH);

    private static final ConfigDef DEF = define(new ConfigDef());

    public DecodeLimits {
        if (maxRecordBytes < WireFormat.HEADER_LENGTH) {
            throw new IllegalArgumentException(MAX_RECORD_BYTES + " must be at least " + WireFormat.HEADER_LENGTH);
        }
        if (maxSchemaDepth < 1) {
            throw new IllegalArgumentException(MAX_SCHEMA_DEPTH + " must be at least 1");
        }
    }

    /** Adds the decode-limit settings to {@code def} and returns it. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(MAX_RECORD_BYTES, Type.INT, DEFAULT_MAX_RECORD_BYTES, Range.atLeast(WireFormat.HEADER_LENGTH),
                        Importance.LOW, "Longest record (key or value, wire-format header included) the Avro "
                                + "deserializer decodes; longer ones fail with a SerializationException before any "
                                + "decoding. Every length prefix inside a record is further checked against the "
                                + "bytes left in it.")
                .define(MAX_SCHEMA_DEPTH, Type.INT, DEFAULT_MAX_SCHEMA_DEPTH, Range.between(1, 1000),
                        Importance.LOW, "Deepest nesting of records, arrays, maps and unions a writer schema may "
                                + "have; deeper, recursive, or zero-byte-item-array writer schemas are refused, so "
                                + "decoding can neither overflow the stack nor loop on items that take no bytes.");
    }

    /** The limits in {@code configs} (other keys are ignored), defaults where unset. */
    public static DecodeLimits fromConfig(Map<String, ?> configs) {
        Map<String, Object> parsed = DEF.parse(configs);
        return new DecodeLimits((Integer) parsed.get(MAX_RECORD_BYTES), (Integer) parsed.get(MAX_SCHEMA_DEPTH));
    }
}

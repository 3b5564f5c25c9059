package org.ddpp.schemas.serde;

import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decides whether records written with a writer schema can be decoded within bounds, once per schema id, before
 * any record of it is decoded. Refused (a {@link SerializationException} saying why):
 * <ul>
 *   <li>recursive schemas (a record that contains itself): decoding depth would be bounded only by the record's
 *       length, and a long enough record overflows the stack;</li>
 *   <li>schemas nested deeper than {@link DecodeLimits#maxSchemaDepth()}: Avro's reader recurses once per level;</li>
 *   <li>arrays whose items can take zero bytes (null, empty records): their item count is not bounded by the
 *       record's length, so {@link BoundedDecoder} could not bound it;</li>
 *   <li>fixed types longer than {@link DecodeLimits#maxRecordBytes()}: the reader allocates their size from the
 *       schema.</li>
 * </ul>
 * No schema of ddpp-stream is refused (the deepest nests 5 levels). The walk visits each named type once, so a
 * schema that reuses a record many times is checked in time linear in its size.
 */
final class WriterSchemaCheck {

    /** Height and smallest encoded size of a named type already checked. */
    private record Facts(int height, long minBytes) {}

    private final DecodeLimits limits;
    private final String what;
    private final Map<Schema, Facts> done = new IdentityHashMap<>();
    private final Set<String> onPath = new HashSet<>();

    private WriterSchemaCheck(DecodeLimits limits, String what) {
        this.limits = limits;
        this.what = what;
    }

    /** Throws when records of {@code writer} cannot be decoded within {@code limits}; {@code what} names it. */
    static void check(Schema writer, DecodeLimits limits, String what) {
        new WriterSchemaCheck(limits, what).visit(writer, 1);
    }

    /** The facts of {@code schema} found at nesting {@code depth} (1 for the top). */
    private Facts visit(Schema schema, int depth) {
        if (depth > limits.maxSchemaDepth()) {
            throw refuse("it nests deeper than " + DecodeLimits.MAX_SCHEMA_DEPTH + "=" + limits.maxSchemaDepth());
        }
        switch (schema.getType()) {
            case NULL:
                return new Facts(1, 0);
            case BOOLEAN:
            case INT:
            case LONG:
            case ENUM:
            case STRING:
            case BYTES:
                return new Facts(1, 1);
            case FLOAT:
                return new Facts(1, 4);
            case DOUBLE:
                return new Facts(1, 8);
            case FIXED:
                if (schema.getFixedSize() > limits.maxRecordBytes()) {
                    throw refuse("fixed " + schema.getFullName() + " of " + schema.getFixedSize() + " bytes is longer than "
                            + DecodeLimits.MAX_RECORD_BYTES + "=" + limits.maxRecordBytes());
                }
                return new Facts(1, schema.getFixedSize());
            case ARRAY: {
                Facts items = visit(schema.getElementType(), depth + 1);
                if (items.minBytes() == 0) {
                    throw refuse("an array's items (" + schema.getElementType() + ") can take zero bytes, so their "
                            + "count is not bounded by the record's length");
                }
                return new Facts(items.height() + 1, 1);
            }
            case MAP:
                return new Facts(visit(schema.getValueType(), depth + 1).height() + 1, 1);
            case UNION: {
                int height = 0;
                long min = Long.MAX_VALUE;
                for (Schema branch : schema.getTypes()) {
                    Facts facts = visit(branch, depth + 1);
                    height = Math.max(height, facts.height());
                    min = Math.min(min, facts.minBytes());
                }
                return new Facts(height + 1, 1 + (min == Long.MAX_VALUE ? 0 : min));
            }
            case RECORD:
                return record(schema, depth);
            default:
                throw refuse("type " + schema.getType() + " is not supported");
        }
    }

    private Facts record(Schema schema, int depth) {
        Facts known = done.get(schema);
        if (known != null) {
            if (depth - 1 + known.height() > limits.maxSchemaDepth()) {
                throw refuse("it nests deeper than " + DecodeLimits.MAX_SCHEMA_DEPTH + "=" + limits.maxSchemaDepth());
            }
            return known;
        }
        String name = schema.getFullName();
        if (!onPath.add(name)) {
            throw refuse("it is recursive (" + name + " contains itself), so its nesting is bounded only by the "
                    + "record's length");
        }
        int height = 0;
        long min = 0;
        for (Schema.Field field : schema.getFields()) {
            Facts facts = visit(field.schema(), depth + 1);
            height = Math.max(height, facts.height());
            min += facts.minBytes();
        }
        onPath.remove(name);
        Facts facts = new Facts(height + 1, min);
        done.put(schema, facts);
        return facts;
    }

    private SerializationException refuse(String reason) {
        return new SerializationException("refusing to decode with writer schema " + what + ": " + reason);
    }
}

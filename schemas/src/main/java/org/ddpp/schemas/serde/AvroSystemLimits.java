package org.ddpp.schemas.serde;

import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets Avro's own JVM-wide allocation limits ({@code org.apache.avro.limits.string.maxLength},
 * {@code ...bytes.maxLength}, {@code ...collectionItems.maxLength}) to {@link DecodeLimits#DEFAULT_MAX_RECORD_BYTES}
 * unless the operator set them with {@code -D}, as a backstop for any Avro decoder in the process that does not
 * go through {@link BoundedDecoder}. Avro 1.12 reads these properties once, when {@link SystemLimitException} is
 * initialised, and never again; so this runs once, when {@link AvroDeserializer} is first loaded, and only warns
 * when Avro had already read them. ddpp's own decoding does not depend on it: {@link BoundedDecoder} checks every
 * length against the bytes left in the record, which is tighter than any JVM-wide number can be.
 */
final class AvroSystemLimits {

    private static final Logger LOG = LoggerFactory.getLogger(AvroSystemLimits.class);

    static final String[] PROPERTIES = {
            SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
            SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
            SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
    };

    private static final boolean IN_FORCE = install();

    private AvroSystemLimits() {}

    /** Loads this class, which sets the limits once per JVM. */
    static void ensureInstalled() {
        // the work is done by the static initialiser
    }

    /** Whether Avro refuses a string, bytes or collection longer than the default max record size. */
    static boolean inForce() {
        return IN_FORCE;
    }

    /**
     * Whether Avro's limits let through every length a record of {@code maxRecordBytes} can hold. Strings decoded
     * by {@link BoundedDecoder} pass through Avro's {@code Utf8}, which applies Avro's string limit, so a larger
     * {@link DecodeLimits#maxRecordBytes()} needs larger Avro limits (all three, to keep one rule).
     */
    static boolean allows(int maxRecordBytes) {
        long payload = maxRecordBytes - (long) WireFormat.HEADER_LENGTH;
        return !refuses(() -> SystemLimitException.checkMaxStringLength(payload))
                && !refuses(() -> SystemLimitException.checkMaxBytesLength(payload))
                && !refuses(() -> SystemLimitException.checkMaxCollectionLength(0L, payload));
    }

    private static boolean install() {
        boolean setByUs = false;
        for (String property : PROPERTIES) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, Integer.toString(DecodeLimits.DEFAULT_MAX_RECORD_BYTES));
                setByUs = true;
            }
        }
        boolean inForce = refuses(() -> SystemLimitException.checkMaxStringLength(DecodeLimits.DEFAULT_MAX_RECORD_BYTES + 1L))
                && refuses(() -> SystemLimitException.checkMaxBytesLength(DecodeLimits.DEFAULT_MAX_RECORD_BYTES + 1L))
                && refuses(() -> SystemLimitException.checkMaxCollectionLength(0L, DecodeLimits.DEFAULT_MAX_RECORD_BYTES + 1L));
        if (setByUs && !inForce) {
            LOG.warn("Avro's system limits ({}) are not in force: Avro read them before ddpp set them. ddpp's own "
                    + "decoding still bounds every length by the record; other Avro decoders in this JVM are "
                    + "unbounded unless the properties are given with -D.", String.join(", ", PROPERTIES));
        }
        return inForce;
    }

    private static boolean refuses(Runnable check) {
        try {
            check.run();
            return false;
        } catch (RuntimeException e) {
            // SystemLimitException, or UnsupportedOperationException beyond what a Java array can hold
            return true;
        }
    }
}

package org.ddpp.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format every record value and key in ddpp-stream uses: byte 0 is the magic byte 0, bytes
 * 1–4 the schema's global id (big-endian), then the Avro binary encoding without a container header.
 */
public final class WireFormat {

    /** The magic byte of the format. */
    public static final byte MAGIC = 0;
    /** Length of magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    /** Writes the 5-byte header for schema {@code id}. */
    public static byte[] header(int id) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).putInt(id).array();
    }

    /** Reads and checks the header; returns the schema id. Throws with a readable reason when it is not there. */
    public static int schemaId(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new SerializationException("record of " + bytes.length
                    + " bytes is shorter than the 5-byte Confluent wire-format header");
        }
        if (bytes[0] != MAGIC) {
            throw new SerializationException(String.format(
                    "unknown magic byte 0x%02x (expected 0x00, the Confluent wire format)", bytes[0] & 0xff));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}

package org.ddpp.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Builds hand-made wire-format records (header plus raw Avro primitives) the way an attacker would. */
public final class Crafted {

    /** Writes the Avro body with the encoder. */
    public interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    private Crafted() {}

    public static byte[] record(int schemaId, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(WireFormat.header(schemaId));
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            body.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The record from the issue: a Candidate's id, run and task as three short strings, then the length prefix
     * of its token array claiming 2 147 483 639 ints; 26 bytes in all.
     */
    public static byte[] issueRecord(int candidateSchemaId) {
        return record(candidateSchemaId, out -> {
            out.writeString("c-12");
            out.writeString("run-1");
            out.writeString("grid");
            out.writeLong(2_147_483_639L);
        });
    }
}

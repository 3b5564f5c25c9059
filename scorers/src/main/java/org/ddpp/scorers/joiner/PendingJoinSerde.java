package org.ddpp.scorers.joiner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.joiner.PendingJoin.RawRecord;
import org.ddpp.scorers.joiner.PendingJoin.ReceivedScore;

/**
 * Binary form of {@link PendingJoin} for the joiner's state store and its changelog: a format byte, then the
 * fields in order. Format 2 adds the candidate's run and reward-configuration version after the candidate record;
 * format 1 (joiners from before steering) is still read, with the run unknown. Internal to the joiner, so it needs no schema registry. Reading trusts no count or length in
 * the bytes: each is checked against the bytes left before anything is allocated for it, so corrupt or crafted
 * state is a {@link SerializationException} saying what is wrong, never an {@link OutOfMemoryError}.
 */
final class PendingJoinSerde implements Serde<PendingJoin>, Serializer<PendingJoin>, Deserializer<PendingJoin> {

    private static final byte FORMAT = 2;
    private static final byte FORMAT_WITHOUT_RUN = 1;
    /** The fewest bytes one score takes: two empty strings, status, log reward, empty reason, no raw record. */
    private static final int MIN_SCORE_BYTES = 2 + 2 + 1 + 8 + 2 + 1;
    private static final ScoreStatus[] STATUSES = ScoreStatus.values();

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<PendingJoin> serializer() {
        return this;
    }

    @Override
    public Deserializer<PendingJoin> deserializer() {
        return this;
    }

    @Override
    public byte[] serialize(String topic, PendingJoin join) {
        if (join == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(join.deadline());
            out.writeBoolean(join.done());
            writeRaw(out, join.candidate());
            out.writeBoolean(join.run() != null);
            if (join.run() != null) {
                out.writeUTF(join.run());
            }
            out.writeLong(join.configVersion());
            out.writeInt(join.scores().size());
            for (ReceivedScore s : join.scores()) {
                out.writeUTF(s.scorer());
                out.writeUTF(s.version());
                out.writeByte(s.status().ordinal());
                out.writeDouble(s.logReward());
                out.writeUTF(s.reason());
                writeRaw(out, s.raw());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public PendingJoin deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_RUN) {
                throw new SerializationException("unknown joiner state format " + format);
            }
            long deadline = in.readLong();
            boolean done = in.readBoolean();
            RawRecord candidate = readRaw(in);
            String run = null;
            long configVersion = 0L;
            if (format == FORMAT) {
                run = in.readBoolean() ? in.readUTF() : null;
                configVersion = in.readLong();
            }
            int n = in.readInt();
            // available() is exact here: the stream reads a byte array
            if (n < 0 || n > in.available() / MIN_SCORE_BYTES) {
                throw new SerializationException("corrupt joiner state: " + n + " scores cannot fit in the "
                        + in.available() + " bytes left");
            }
            List<ReceivedScore> scores = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                scores.add(new ReceivedScore(in.readUTF(), in.readUTF(), status(in.readByte()),
                        in.readDouble(), in.readUTF(), readRaw(in)));
            }
            if (in.available() > 0) {
                throw new SerializationException("corrupt joiner state: " + in.available() + " trailing bytes");
            }
            return new PendingJoin(deadline, done, candidate, run, configVersion, scores);
        } catch (IOException e) {
            throw new SerializationException("corrupt joiner state: " + e, e);
        }
    }

    private static ScoreStatus status(byte ordinal) {
        if (ordinal < 0 || ordinal >= STATUSES.length) {
            throw new SerializationException("corrupt joiner state: unknown score status " + ordinal);
        }
        return STATUSES[ordinal];
    }

    private static void writeRaw(DataOutputStream out, RawRecord raw) throws IOException {
        out.writeBoolean(raw != null);
        if (raw == null) {
            return;
        }
        out.writeUTF(raw.topic());
        out.writeInt(raw.partition());
        out.writeLong(raw.offset());
        out.writeLong(raw.timestamp());
        writeBytes(out, raw.key());
        writeBytes(out, raw.value());
    }

    private static RawRecord readRaw(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new RawRecord(in.readUTF(), in.readInt(), in.readLong(), in.readLong(), readBytes(in), readBytes(in));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new SerializationException("corrupt joiner state: a byte array of " + n + " bytes cannot fit in the "
                    + in.available() + " bytes left");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }
}

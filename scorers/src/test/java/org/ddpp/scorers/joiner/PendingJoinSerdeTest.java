package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.joiner.PendingJoin.RawRecord;
import org.ddpp.scorers.joiner.PendingJoin.ReceivedScore;
import org.junit.jupiter.api.Test;

/** The joiner's state format reads back what it wrote and refuses crafted counts and lengths with a reason. */
class PendingJoinSerdeTest {

    private final PendingJoinSerde serde = new PendingJoinSerde();

    static PendingJoin sample() {
        RawRecord candidate = new RawRecord("ddpp.candidates", 1, 17, 1_700_000_000_000L, new byte[] {1, 2}, new byte[] {0, 0, 0, 0, 1, 9});
        ReceivedScore ok = new ReceivedScore("length", "1", ScoreStatus.OK, -0.5, "",
                new RawRecord("ddpp.scores", 0, 3, 1_700_000_000_001L, null, new byte[] {0, 0, 0, 0, 2}));
        ReceivedScore failed = new ReceivedScore("grid-center", "2", ScoreStatus.FAILED, Double.NaN, "timeout", null);
        return new PendingJoin(1_700_000_060_000L, false, candidate, "run-7", 3L, List.of(ok, failed));
    }

    private String refusal(byte[] bytes) {
        return assertThrows(SerializationException.class, () -> serde.deserialize("store", bytes)).getMessage();
    }

    @Test
    void readsBackWhatItWrote() {
        PendingJoin join = sample();
        PendingJoin back = serde.deserialize("store", serde.serialize("store", join));
        assertEquals(join.deadline(), back.deadline());
        assertEquals(join.scores().size(), back.scores().size());
        assertArrayEquals(join.candidate().value(), back.candidate().value());
        assertEquals(join.scores().get(1).reason(), back.scores().get(1).reason());
        assertEquals("run-7", back.run());
        assertEquals(3L, back.configVersion());
        PendingJoin settled = PendingJoin.settled(5);
        assertTrue(serde.deserialize("store", serde.serialize("store", settled)).done());
    }

    @Test
    void readsTheStateOfJoinersFromBeforeSteeringWithTheRunUnknown() throws IOException {
        // format 1: no run and version after the candidate record
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeLong(42L);
        out.writeBoolean(false);
        out.writeBoolean(true);
        out.writeUTF("ddpp.candidates");
        out.writeInt(2);
        out.writeLong(5L);
        out.writeLong(6L);
        out.writeInt(-1);
        out.writeInt(1);
        out.write(7);
        out.writeInt(0); // no scores
        PendingJoin old = serde.deserialize("store", bytes.toByteArray());
        assertEquals(42L, old.deadline());
        assertEquals(null, old.run());
        assertEquals(0L, old.configVersion());
        assertArrayEquals(new byte[] {7}, old.candidate().value());
    }

    /** A state entry whose candidate value claims {@code length} bytes and holds none. */
    private static byte[] candidateClaiming(int length) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeLong(0);
        out.writeBoolean(false);
        out.writeBoolean(true);
        out.writeUTF("ddpp.candidates");
        out.writeInt(0);
        out.writeLong(0);
        out.writeLong(0);
        out.writeInt(-1); // no key
        out.writeInt(length);
        return bytes.toByteArray();
    }

    @Test
    void aCraftedByteArrayLengthIsRefusedBeforeAllocating() throws IOException {
        assertTrue(refusal(candidateClaiming(Integer.MAX_VALUE)).contains("a byte array of 2147483647 bytes cannot fit in the 0 bytes left"));
        assertTrue(refusal(candidateClaiming(-7)).contains("a byte array of -7 bytes"));
    }

    @Test
    void craftedScoreCountsAndStatusesAreRefused() {
        byte[] good = serde.serialize("store", PendingJoin.waitingFor(9, null));
        // format, deadline, done, no candidate, no run, configuration version, then the score count
        int countAt = 1 + 8 + 1 + 1 + 1 + 8;
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(countAt, Integer.MAX_VALUE);
        assertTrue(refusal(huge).contains("2147483647 scores cannot fit"));
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(countAt, -1);
        assertTrue(refusal(negative).contains("-1 scores cannot fit"));

        byte[] withScores = serde.serialize("store", sample());
        int statusAt = indexOfStatus(withScores);
        byte[] badStatus = withScores.clone();
        badStatus[statusAt] = 42;
        assertTrue(refusal(badStatus).contains("unknown score status 42"));
    }

    @Test
    void truncatedOrTrailingBytesAreRefused() {
        byte[] good = serde.serialize("store", sample());
        for (int cut = 0; cut < good.length; cut += 7) {
            refusal(Arrays.copyOf(good, cut));
        }
        assertTrue(refusal(Arrays.copyOf(good, good.length + 3)).contains("3 trailing bytes"));
    }

    /** Where the first score's status byte is in {@code sample()}'s encoding: after its scorer and version. */
    private static int indexOfStatus(byte[] bytes) {
        byte[] marker = {0, 6, 'l', 'e', 'n', 'g', 't', 'h', 0, 1, '1'};
        for (int i = 0; i + marker.length <= bytes.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(bytes, i, i + marker.length), marker)) {
                return i + marker.length;
            }
        }
        throw new AssertionError("marker not found");
    }
}

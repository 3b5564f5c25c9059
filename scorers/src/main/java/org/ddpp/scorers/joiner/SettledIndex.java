package org.ddpp.scorers.joiner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one joiner task remembers of the candidates it settled, so that a settled candidate stays settled: the ids
 * of the newest {@code capacity} settled candidates (a UUID takes 17 bytes), and, for what fell out of that
 * window, one horizon per sampler: the newest {@code createdAt} among its evicted candidates. A sampler's
 * candidates reach a partition in the order it created them, so a candidate record of that sampler created at or
 * before its horizon and not in the window has been here before: it is a duplicate, whatever its lateness. Scores
 * name only their candidate id, so a score for a candidate that left the window cannot be told from a score whose
 * candidate never came (see the joiner section of docs/architecture.md).
 *
 * <p>Layout of the store (bytes keys): {@code 'c' id → seq}, {@code 'o' seq → createdAt, id length, id, sampler}
 * (eviction order), {@code 'w' sampler → horizon}, and {@code 'n' → next seq, oldest seq, samplers}. At most
 * {@link #MAX_SAMPLERS} horizons are kept; the oldest is dropped first.
 */
final class SettledIndex {

    /** Sampler horizons kept per task; sampler ids are random per process by default, so they are bounded too. */
    static final int MAX_SAMPLERS = 10_000;

    private static final byte ID = 'c';
    private static final byte ORDER = 'o';
    private static final byte SAMPLER = 'w';
    private static final Bytes META = Bytes.wrap(new byte[] {'n'});

    private final KeyValueStore<Bytes, byte[]> store;
    private final long capacity;
    private final int maxSamplers;

    SettledIndex(KeyValueStore<Bytes, byte[]> store, long capacity, int maxSamplers) {
        this.store = store;
        this.capacity = capacity;
        this.maxSamplers = maxSamplers;
    }

    /** True when {@code id} is among the remembered settled candidates. */
    boolean contains(String id) {
        return store.get(key(ID, idBytes(id))) != null;
    }

    /**
     * The newest creation time (epoch ms) among {@code sampler}'s candidates that left the window, or
     * {@link Long#MIN_VALUE} when none did.
     */
    long horizon(String sampler) {
        byte[] v = store.get(key(SAMPLER, sampler.getBytes(StandardCharsets.UTF_8)));
        return v == null || v.length != Long.BYTES ? Long.MIN_VALUE : ByteBuffer.wrap(v).getLong();
    }

    /** Remembers {@code id} as settled; evicts the oldest entries beyond the capacity. */
    void add(String id, String sampler, long createdAt) {
        long[] meta = meta();
        long seq = meta[0]++;
        byte[] idBytes = idBytes(id);
        byte[] samplerBytes = sampler.getBytes(StandardCharsets.UTF_8);
        store.put(key(ID, idBytes), ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
        store.put(orderKey(seq), ByteBuffer.allocate(Long.BYTES + Short.BYTES + idBytes.length + samplerBytes.length)
                .putLong(createdAt).putShort((short) idBytes.length).put(idBytes).put(samplerBytes).array());
        while (meta[0] - meta[1] > capacity) {
            evict(meta);
        }
        saveMeta(meta);
    }

    /** Remembered settled candidates. */
    long size() {
        long[] meta = meta();
        return meta[0] - meta[1];
    }

    /** Candidates that left the window since the store was created. */
    long evicted() {
        return meta()[1];
    }

    private void evict(long[] meta) {
        long seq = meta[1]++;
        byte[] entry = store.get(orderKey(seq));
        if (entry == null) {
            return; // a hole, e.g. after a corrupt entry was removed
        }
        store.delete(orderKey(seq));
        ByteBuffer b = ByteBuffer.wrap(entry);
        if (entry.length < Long.BYTES + Short.BYTES) {
            return;
        }
        long createdAt = b.getLong();
        int idLength = b.getShort() & 0xffff;
        if (idLength > b.remaining()) {
            return;
        }
        byte[] idBytes = new byte[idLength];
        b.get(idBytes);
        byte[] samplerBytes = new byte[b.remaining()];
        b.get(samplerBytes);
        store.delete(key(ID, idBytes));
        Bytes samplerKey = key(SAMPLER, samplerBytes);
        byte[] old = store.get(samplerKey);
        if (old == null) {
            if (meta[2] >= maxSamplers) {
                dropOldestSampler();
                meta[2]--;
            }
            meta[2]++;
        } else if (old.length == Long.BYTES && ByteBuffer.wrap(old).getLong() >= createdAt) {
            return;
        }
        store.put(samplerKey, ByteBuffer.allocate(Long.BYTES).putLong(createdAt).array());
    }

    private void dropOldestSampler() {
        Bytes oldest = null;
        long oldestHorizon = Long.MAX_VALUE;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(new byte[] {SAMPLER}), Bytes.wrap(new byte[] {SAMPLER + 1}))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                long h = next.value.length == Long.BYTES ? ByteBuffer.wrap(next.value).getLong() : Long.MIN_VALUE;
                if (next.key.get().length > 0 && next.key.get()[0] == SAMPLER && h < oldestHorizon) {
                    oldestHorizon = h;
                    oldest = next.key;
                }
            }
        }
        if (oldest != null) {
            store.delete(oldest);
        }
    }

    /** next seq, oldest seq, sampler horizons. */
    private long[] meta() {
        byte[] v = store.get(META);
        if (v == null || v.length != 3 * Long.BYTES) {
            return new long[3];
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return new long[] {b.getLong(), b.getLong(), b.getLong()};
    }

    private void saveMeta(long[] meta) {
        store.put(META, ByteBuffer.allocate(3 * Long.BYTES).putLong(meta[0]).putLong(meta[1]).putLong(meta[2]).array());
    }

    private static Bytes orderKey(long seq) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES).put(ORDER).putLong(seq).array());
    }

    private static Bytes key(byte prefix, byte[] rest) {
        byte[] k = new byte[1 + rest.length];
        k[0] = prefix;
        System.arraycopy(rest, 0, k, 1, rest.length);
        return Bytes.wrap(k);
    }

    /** A canonical UUID as a marker byte and its 16 bytes; any other id as a zero byte and its UTF-8. */
    static byte[] idBytes(String id) {
        if (id.length() == 36) {
            try {
                UUID uuid = UUID.fromString(id);
                if (uuid.toString().equals(id)) {
                    return ByteBuffer.allocate(17).put((byte) 1).putLong(uuid.getMostSignificantBits())
                            .putLong(uuid.getLeastSignificantBits()).array();
                }
            } catch (IllegalArgumentException notAUuid) {
                // stored as text
            }
        }
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(new byte[] {0}, 1 + text.length);
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }
}

package org.ddpp.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;

/**
 * An Avro {@link Decoder} over one record's bytes that checks every length prefix against the bytes left in the
 * record before anything is allocated for it: a string or bytes value can be no longer than what is left, and an
 * array or map block can have no more items than bytes are left (every map entry has a key of at least one byte,
 * and {@link WriterSchemaCheck} refuses writer schemas whose array items can take zero bytes). A violation is a
 * {@link SerializationException} saying which length and how much was left, thrown before the allocation.
 *
 * <p>Why this and not only Avro's own limits ({@code org.apache.avro.limits.*}): those are one number per JVM,
 * read once when Avro first needs them, so they cannot follow the size of each record; a 26-byte record can then
 * still make Avro allocate the whole limit. Avro has no hook for a per-record bound, so this class re-implements
 * the length-prefix handling of {@link BinaryDecoder} (read the zig-zag length with Avro's {@code readLong}, check
 * it, then let Avro copy the bytes with {@code readFixed}); every other read is Avro's. The bytes left are exact
 * for a decoder over a byte array: {@link BinaryDecoder#inputStream()} reports the unread part of the array.
 */
final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;

    /** Decodes {@code length} bytes of {@code bytes} from {@code offset}. */
    BoundedDecoder(byte[] bytes, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
    }

    /** Bytes of the record not read yet. */
    long remaining() throws IOException {
        return in.inputStream().available();
    }

    /** Whether the whole record has been read. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = lengthPrefix("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(lengthPrefix("string"));
    }

    /** Reads into a new buffer; {@code old} is not reused. */
    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = lengthPrefix("bytes");
        ByteBuffer result = ByteBuffer.allocate(length);
        in.readFixed(result.array(), 0, length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(lengthPrefix("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return blockCount("array");
    }

    @Override
    public long arrayNext() throws IOException {
        return blockCount("array");
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks("array");
    }

    @Override
    public long readMapStart() throws IOException {
        return blockCount("map");
    }

    @Override
    public long mapNext() throws IOException {
        return blockCount("map");
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks("map");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** A string or bytes length, checked: 0 ≤ length ≤ bytes left. */
    private int lengthPrefix(String kind) throws IOException {
        long length = in.readLong();
        if (length < 0) {
            throw new SerializationException(kind + " length " + length + " is negative");
        }
        long left = remaining();
        if (length > left) {
            throw new SerializationException(kind + " length " + length + " exceeds the " + left
                    + " bytes left in the record");
        }
        return (int) length;
    }

    /**
     * The item count of the next array or map block (0 at the end), checked against the bytes left. A negative
     * count means the block's byte size follows (Avro's blocked encoding); that size is read and checked too.
     */
    private long blockCount(String kind) throws IOException {
        long count = in.readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw new SerializationException(kind + " block count " + count + " is out of range");
            }
            count = -count;
            blockSize(kind, in.readLong());
        }
        return checkItems(kind, count);
    }

    /**
     * Skips the blocks of an array or map whose byte size is given and returns the item count of the next block
     * that has to be skipped item by item (0 at the end), as {@link BinaryDecoder} does.
     */
    private long skipBlocks(String kind) throws IOException {
        long count = in.readLong();
        while (count < 0) {
            in.skipFixed(blockSize(kind, in.readLong()));
            count = in.readLong();
        }
        return checkItems(kind, count);
    }

    private int blockSize(String kind, long size) throws IOException {
        long left = remaining();
        if (size < 0 || size > left) {
            throw new SerializationException(kind + " block size " + size + " is negative or exceeds the " + left
                    + " bytes left in the record");
        }
        return (int) size;
    }

    private long checkItems(String kind, long count) throws IOException {
        long left = remaining();
        if (count > left) {
            throw new SerializationException(kind + " block of " + count + " items exceeds the " + left
                    + " bytes left in the record (every item takes at least one byte)");
        }
        return count;
    }
}

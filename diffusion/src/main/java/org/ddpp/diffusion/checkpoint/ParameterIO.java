package org.ddpp.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ddpp.diffusion.model.GradMode;
import org.ddpp.diffusion.model.ParameterLists;

/**
 * Saves and restores a block's weights by name, copying into the block's existing arrays (so a running
 * {@code ParameterStore} and optimiser keep pointing at the live weights). Float32 values round-trip exactly.
 *
 * <p>The file is untrusted (samplers fetch policy weights by URL). {@link #load} checks each parameter's length
 * prefix against what the block's architecture expects, and the encoded array's header (shape, type, data
 * length) against the parameter, before it allocates or lets DJL decode anything; so a crafted or corrupt file is
 * an {@link IOException} saying what is wrong, never an {@link OutOfMemoryError}. Reading allocates at most one
 * parameter's size plus a small header at a time.
 */
public final class ParameterIO {

    private static final int MAGIC = 0xDD99_0001;

    private ParameterIO() {}

    public static void save(Block block, DataOutputStream out) throws IOException {
        List<Pair<String, Parameter>> params = ParameterLists.pairs(block.getParameters());
        out.writeInt(MAGIC);
        out.writeInt(params.size());
        for (Pair<String, Parameter> p : params) {
            out.writeUTF(p.getKey());
            byte[] bytes = p.getValue().getArray().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    public static void load(Block block, DataInputStream in, NDManager scratchParent) throws IOException {
        GradMode.off();
        if (in.readInt() != MAGIC) {
            throw new IOException("not a ddpp parameter file");
        }
        List<Pair<String, Parameter>> params = ParameterLists.pairs(block.getParameters());
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("file has " + n + " parameters, network has " + params.size() + " (architecture mismatch)");
        }
        try (NDManager scratch = scratchParent.newSubManager()) {
            for (Pair<String, Parameter> p : params) {
                String name = in.readUTF();
                if (!name.equals(p.getKey())) {
                    throw new IOException("parameter '" + name + "' found where '" + p.getKey() + "' was expected");
                }
                NDArray target = p.getValue().getArray();
                long expected = EncodedArray.maxLength(target);
                int length = in.readInt();
                if (length < 0 || length > expected) {
                    throw new IOException("parameter '" + name + "' claims " + length + " bytes; an array of shape "
                            + target.getShape() + " (" + target.getDataType() + ") takes at most " + expected);
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                EncodedArray.check(name, bytes, target);
                NDArray loaded;
                try {
                    loaded = scratch.decode(bytes);
                } catch (RuntimeException e) {
                    throw new IOException("parameter '" + name + "' cannot be decoded: " + e, e);
                }
                if (!loaded.getShape().equals(target.getShape())) {
                    throw new IOException("parameter '" + name + "' has shape " + loaded.getShape() + ", expected " + target.getShape());
                }
                loaded.copyTo(target);
            }
        }
    }

    /**
     * DJL's encoding of one array ({@code NDArray.encode}, format version 3): "NDAR", version, optional name,
     * sparse format, data type, shape, byte order, data length, data. DJL's decoder allocates from the shape and
     * lengths it reads, so the header is checked here against the parameter it must fill first. Hand-written
     * because DJL offers no bounded decoder; it reads only the header fields DJL itself writes.
     */
    private static final class EncodedArray {

        private static final int VERSION = 3;
        /** DJL's reader of a ByteBuffer handles strings of at most 255 bytes correctly. */
        private static final int MAX_STRING = 255;

        private EncodedArray() {}

        /** The most bytes a valid encoding of an array like {@code target} takes. */
        static long maxLength(NDArray target) {
            int dims = target.getShape().dimension();
            long header = (2 + 4L) + 4 + (1 + 2 + MAX_STRING) + 2L * (2 + MAX_STRING) + (4 + 8L * dims + 4 + 2L * dims) + 1 + 4;
            return header + dataLength(target);
        }

        private static long dataLength(NDArray target) {
            return target.getShape().size() * target.getDataType().getNumOfBytes();
        }

        /** Throws unless {@code bytes} is a complete encoding of an array of {@code target}'s shape and type. */
        static void check(String name, byte[] bytes, NDArray target) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            try {
                require(name, "NDAR".equals(string(name, bb)), "it is not a DJL-encoded array");
                int version = bb.getInt();
                require(name, version == VERSION, "DJL encoding version " + version + ", expected " + VERSION);
                byte hasName = bb.get();
                require(name, hasName == 0 || hasName == 1, "bad name flag " + hasName);
                if (hasName == 1) {
                    string(name, bb);
                }
                String sparse = string(name, bb);
                require(name, sparse.equals(target.getSparseFormat().name()), "sparse format " + sparse);
                String type = string(name, bb);
                require(name, type.equals(target.getDataType().name()),
                        "data type " + type + ", expected " + target.getDataType().name());
                long[] shape = target.getShape().getShape();
                int dims = bb.getInt();
                require(name, dims == shape.length, dims + " dimensions, expected " + shape.length);
                for (int i = 0; i < dims; i++) {
                    long dim = bb.getLong();
                    require(name, dim == shape[i], "dimension " + i + " is " + dim + ", expected " + shape[i]);
                }
                int layout = bb.getInt();
                require(name, layout == 0 || layout == dims, layout + " layout entries for " + dims + " dimensions");
                bb.position(bb.position() + 2 * layout);
                byte order = bb.get();
                require(name, order == '<' || order == '>', "bad byte order " + order);
                int data = bb.getInt();
                require(name, data == dataLength(target), data + " data bytes, expected " + dataLength(target));
                require(name, data == bb.remaining(), data + " data bytes declared, " + bb.remaining() + " present");
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new IOException("parameter '" + name + "' is truncated inside its array header", e);
            }
        }

        private static String string(String name, ByteBuffer bb) throws IOException {
            int length = Short.toUnsignedInt(bb.getShort());
            require(name, length <= MAX_STRING, "a header string of " + length + " bytes (at most " + MAX_STRING + ")");
            byte[] bytes = new byte[length];
            bb.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static void require(String name, boolean ok, String problem) throws IOException {
            if (!ok) {
                throw new IOException("parameter '" + name + "' does not fit the network: " + problem);
            }
        }
    }
}

package org.ddpp.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.ddpp.diffusion.model.GradMode;
import org.ddpp.diffusion.model.ParameterLists;

/**
 * Saves and restores a block's weights by name, copying into the block's existing arrays (so a running
 * {@code ParameterStore} and optimiser keep pointing at the live weights). Float32 values round-trip exactly.
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
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray loaded = scratch.decode(bytes);
                NDArray target = p.getValue().getArray();
                if (!loaded.getShape().equals(target.getShape())) {
                    throw new IOException("parameter '" + name + "' has shape " + loaded.getShape() + ", expected " + target.getShape());
                }
                loaded.copyTo(target);
            }
        }
    }
}

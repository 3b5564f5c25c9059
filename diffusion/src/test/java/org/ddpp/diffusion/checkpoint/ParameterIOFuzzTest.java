package org.ddpp.diffusion.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Fuzz target for {@link ParameterIO#load}: arbitrary weights files loaded into a small block (a 3→2 linear
 * layer). The only acceptable outcomes are a completed load or an {@link IOException}; anything else (a runtime
 * exception, {@link OutOfMemoryError}) is a finding.
 *
 * <p>In a normal build (no {@code JAZZER_FUZZ}) it only replays the seeds in
 * {@code src/test/resources/org/ddpp/diffusion/checkpoint/ParameterIOFuzzTestInputs} (a valid file of that block
 * and findings committed since). A campaign, e.g. for an hour:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -ntp -o -pl diffusion test -Dtest='ParameterIOFuzzTest' \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=3600
 * </pre>
 */
class ParameterIOFuzzTest {

    private static final NDManager MANAGER = NDManager.newBaseManager();
    private static final Block BLOCK = linear();

    /** The block the seed was saved from: a 3→2 linear layer (weight 2×3, bias 2). */
    static Block linear() {
        Block block = Linear.builder().setUnits(2).build();
        block.initialize(MANAGER, DataType.FLOAT32, new Shape(1, 3));
        return block;
    }

    @FuzzTest(maxDuration = "2m")
    void load(byte[] file) {
        try {
            ParameterIO.load(BLOCK, new DataInputStream(new ByteArrayInputStream(file)), MANAGER);
        } catch (IOException refused) {
            // the documented outcome for a file that does not fit the block
        }
    }
}

package org.ddpp.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.ddpp.diffusion.TinyModels;
import org.ddpp.diffusion.TinyTask;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.ParameterLists;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A crafted or corrupt weights file is a clear IOException, never an allocation sized by the file. */
class ParameterIOTest {

    private static final int MAGIC = 0xDD99_0001;

    private NDManager root;
    private Mdm model;
    private String firstName;
    private int parameters;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        model = Mdm.create(new TinyTask(), TinyModels.SHAPE, 1L, root);
        var pairs = ParameterLists.pairs(model.block().getParameters());
        firstName = pairs.get(0).getKey();
        parameters = pairs.size();
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private String loadFails(byte[] file) {
        return assertThrows(IOException.class, () -> ParameterIO.load(model.block(),
                new DataInputStream(new ByteArrayInputStream(file)), root)).getMessage();
    }

    /** A file whose first parameter is {@code array}, written under the right name and count. */
    private byte[] fileWithFirstArray(int claimedLength, byte[] array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(parameters);
        out.writeUTF(firstName);
        out.writeInt(claimedLength);
        out.write(array);
        return bytes.toByteArray();
    }

    @Test
    void savedWeightsLoadBack() throws IOException {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ParameterIO.save(model.block(), new DataOutputStream(saved));
        try (Mdm other = Mdm.create(new TinyTask(), TinyModels.SHAPE, 2L, root)) {
            ParameterIO.load(other.block(), new DataInputStream(new ByteArrayInputStream(saved.toByteArray())), root);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            ParameterIO.save(other.block(), new DataOutputStream(again));
            assertArrayEquals(saved.toByteArray(), again.toByteArray());
        }
    }

    @Test
    void aCraftedParameterLengthIsRefusedBeforeAllocating() throws IOException {
        String reason = loadFails(fileWithFirstArray(Integer.MAX_VALUE - 8, new byte[16]));
        assertTrue(reason.contains("parameter '" + firstName + "' claims 2147483639 bytes"), reason);
        assertTrue(reason.contains("takes at most"), reason);
        assertTrue(loadFails(fileWithFirstArray(-1, new byte[0])).contains("claims -1 bytes"));
    }

    @Test
    void aCraftedArrayHeaderIsRefusedBeforeDjlDecodesIt() throws IOException {
        // DJL's decoder would allocate a long[] of this many dimensions (16 GB)
        byte[] dims = djlHeader("FLOAT32", Integer.MAX_VALUE);
        String reason = loadFails(fileWithFirstArray(dims.length, dims));
        assertTrue(reason.contains("parameter '" + firstName + "' does not fit the network: 2147483647 dimensions"), reason);

        // ... or a String[] of the count that follows a STRING type
        byte[] strings = djlHeader("STRING", 1);
        assertTrue(loadFails(fileWithFirstArray(strings.length, strings)).contains("data type STRING, expected FLOAT32"));
    }

    @Test
    void aTruncatedFileFailsWithAnIOException() throws IOException {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ParameterIO.save(model.block(), new DataOutputStream(saved));
        byte[] full = saved.toByteArray();
        for (int cut : new int[] {3, 10, full.length / 2, full.length - 1}) {
            loadFails(Arrays.copyOf(full, cut));
        }
    }

    private static byte[] djlHeader(String type, int dimensions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("NDAR");
        out.writeInt(3);
        out.write(0);
        out.writeUTF("DENSE");
        out.writeUTF(type);
        out.writeInt(dimensions);
        out.writeLong(4);
        out.writeInt(0); // no layout
        out.writeInt(Integer.MAX_VALUE); // a STRING array's element count
        return bytes.toByteArray();
    }
}

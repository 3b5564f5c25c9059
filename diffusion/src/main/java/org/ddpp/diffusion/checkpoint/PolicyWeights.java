package org.ddpp.diffusion.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ddpp.diffusion.model.Mdm;

/**
 * One policy version's weights as a single file (the {@link ParameterIO} format): what the online trainer
 * publishes and samplers fetch. The architecture is not in the file; it is the one of the run's pre-trained
 * checkpoint, and loading into a model of another architecture fails with a clear message.
 */
public final class PolicyWeights {

    private PolicyWeights() {}

    /** Writes {@code model}'s weights to {@code file} atomically; returns the file's sha256 (hex). */
    public static String write(Mdm model, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            ParameterIO.save(model.block(), out);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Checkpoint.sha256(file);
    }

    /** Overwrites {@code model}'s weights with those in {@code in} (same architecture required). */
    public static void read(Mdm model, InputStream in) throws IOException {
        ParameterIO.load(model.block(), new DataInputStream(new BufferedInputStream(in)), model.manager());
    }
}

package org.ddpp.trainer.online;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The two facts a restarted trainer must not forget although they change more often than it checkpoints: the
 * highest policy version it ever announced (so a version number is never announced twice with different weights)
 * and the port its weights server listened on (so URLs announced before a restart still work after it). Each is a
 * one-line file in the state directory, replaced atomically and fsynced before it is relied on.
 */
final class TrainerState {

    static final String ANNOUNCED = "announced-version";
    static final String WEIGHTS_PORT = "weights-port";

    private final Path dir;

    TrainerState(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** The highest version announced so far, 0 when none. */
    long announcedVersion() throws IOException {
        return read(ANNOUNCED).orElse(0);
    }

    /** Records that {@code version} is about to be announced; durable before this returns. */
    void announcing(long version) throws IOException {
        if (version > announcedVersion()) {
            write(ANNOUNCED, version);
        }
    }

    /**
     * The port to serve weights on: {@code configured} when it is not 0; otherwise the port of the previous run
     * when it is free again, else 0 (any free port).
     */
    int weightsPort(String host, int configured) throws IOException {
        if (configured != 0) {
            return configured;
        }
        OptionalLong previous = read(WEIGHTS_PORT);
        if (previous.isPresent() && previous.getAsLong() > 0 && previous.getAsLong() < 65_536 && org.ddpp.runtime.LocalPorts.isFree(host, (int) previous.getAsLong())) {
            return (int) previous.getAsLong();
        }
        return 0;
    }

    /** Remembers the port the weights server got. */
    void servedOn(int port) throws IOException {
        write(WEIGHTS_PORT, port);
    }

    private OptionalLong read(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("trainer state file " + file + " does not hold a number: '" + text + "'");
        }
    }

    private void write(String name, long value) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // a file system that cannot fsync a directory still renames atomically
        }
    }
}

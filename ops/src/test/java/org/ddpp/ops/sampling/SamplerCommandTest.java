package org.ddpp.ops.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpp sampler} refuses bad input in one readable line, before it connects to anything. */
class SamplerCommandTest {

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void anUnreachableBrokerIsOneLine() throws Exception {
        Path pretrained = dir.resolve("pretrained");
        try (NDManager root = NDManager.newBaseManager();
                Mdm model = Mdm.create(new GridTask(), NetworkShape.of(16, 1, 2), 1L, root)) {
            Checkpoint.writer(pretrained, new GridTask()).setPolicy(model).write();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun r = run("sampler", "--pretrained", pretrained.toString(), "--bootstrap-servers", "127.0.0.1:" + port,
                "--startup-timeout", "1500ms");
        assertEquals(2, r.code(), "unreachable at start is exit code 2");
        assertEquals("ddpp sampler: cannot reach Kafka at 127.0.0.1:" + port + " within 1.5 s", r.err().strip());
    }

    @Test
    void badInputIsOneLine() {
        CliRun missing = run("sampler", "--pretrained", dir.resolve("nothing").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("ddpp sampler: no checkpoint at"), missing.err());

        CliRun both = run("sampler", "--pretrained", dir.toString(), "--pinned", "--replay");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        CliRun batch = run("sampler", "--pretrained", dir.toString(), "--batch-size", "0");
        assertEquals(2, batch.code());
        assertEquals("ddpp sampler: batch size must be >= 1, got 0", batch.err().strip());

        CliRun help = run("sampler", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--max-outstanding") && help.out().contains("default: 2048"), help.out());
    }
}

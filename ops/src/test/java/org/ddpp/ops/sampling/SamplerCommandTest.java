package org.ddpp.ops.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Path;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.DdppCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ddpp sampler} refuses bad input in one readable line, before it connects to anything. */
class SamplerCommandTest {

    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DdppCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
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
        Run r = run("sampler", "--pretrained", pretrained.toString(), "--bootstrap-servers", "127.0.0.1:" + port,
                "--startup-timeout-ms", "1500");
        assertEquals(1, r.code());
        assertEquals("ddpp sampler: cannot reach Kafka at 127.0.0.1:" + port + " within 1.5 s", r.err().strip());
    }

    @Test
    void badInputIsOneLine() {
        Run missing = run("sampler", "--pretrained", dir.resolve("nothing").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("ddpp sampler: no checkpoint at"), missing.err());

        Run both = run("sampler", "--pretrained", dir.toString(), "--pinned", "--replay");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        Run batch = run("sampler", "--pretrained", dir.toString(), "--batch-size", "0");
        assertEquals(2, batch.code());
        assertEquals("ddpp sampler: batch size must be >= 1, got 0", batch.err().strip());

        Run help = run("sampler", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--max-outstanding") && help.out().contains("default: 2048"), help.out());
    }
}

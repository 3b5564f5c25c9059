package org.ddpp.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ddpp.ops.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline commands through the real command line: files written, JSON printed, bad input refused in one line. */
class OfflineCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void pretrainFinetuneSample() throws Exception {
        Path pre = dir.resolve("pre");
        CliRun p = run("pretrain", "--task", "grid", "--out", pre.toString(), "--steps", "40", "--d-model", "32", "--heads", "2");
        assertEquals(0, p.code(), p.err());
        JsonNode ps = JSON.readTree(p.out());
        assertTrue(Files.exists(pre.resolve("manifest.json")));
        assertTrue(ps.get("tv_to_prior").asDouble() > 0 && ps.get("tv_to_prior").asDouble() <= 1);
        assertTrue(ps.get("bits_per_dim").asDouble() > 5, "40 steps cannot beat the 6-bit prior entropy by much");

        Path ft = dir.resolve("ft");
        CliRun f = run("finetune", "--task", "grid", "--pretrained", pre.toString(), "--out", ft.toString(),
                "--steps", "30", "--warmup", "10", "--refill-every", "10", "--refill-size", "64", "--reward", "checkerboard");
        assertEquals(0, f.code(), f.err());
        JsonNode fs = JSON.readTree(f.out());
        assertEquals(30, fs.get("steps").asInt());
        assertTrue(fs.has("tv_policy_to_target"));
        assertEquals("checkerboard", fs.get("reward").asText());
        assertEquals(Math.log(0.5), fs.get("log_z_full_mask_exact").asDouble(), 0.1, "8 of the 16 squares are rewarded");
        JsonNode manifest = JSON.readTree(ft.resolve("manifest.json").toFile());
        assertEquals(30, manifest.get("step").asInt());
        assertTrue(manifest.get("files").has("logz.params"));
        assertTrue(manifest.get("files").has("optimizer-logz.bin"));

        CliRun s = run("sample", "--checkpoint", ft.toString(), "-n", "5", "--json", "--seed", "3");
        assertEquals(0, s.code(), s.err());
        String[] lines = s.out().trim().split("\n");
        assertEquals(5, lines.length);
        for (String line : lines) {
            JsonNode row = JSON.readTree(line);
            for (JsonNode t : row.get("tokens")) {
                assertTrue(t.asInt() >= 0 && t.asInt() < 128, "token outside the vocabulary: " + t);
            }
            assertTrue(row.get("text").asText().startsWith("("));
        }
        assertEquals(s.out(), run("sample", "--checkpoint", ft.toString(), "-n", "5", "--json", "--seed", "3").out(),
                "the same seed must give the same samples");
    }

    @Test
    void badInputIsOneReadableLineAndANonZeroExit() {
        assertOneLine(run("finetune", "--pretrained", dir.resolve("missing").toString(), "--out", dir.resolve("x").toString()), "no checkpoint");
        assertOneLine(run("pretrain", "--task", "nope", "--out", dir.resolve("y").toString()), "unknown task 'nope'");
        assertOneLine(run("bench", "grid", "--objective", "xx"), "unknown objective 'xx'");
        assertOneLine(run("pretrain", "--out", dir.resolve("z").toString(), "--bogus"), "Unknown option");
        assertOneLine(run("sample", "--checkpoint", dir.toString(), "--sampler", "magic"), "--sampler must be");
        for (CliRun r : java.util.List.of(run("bench", "grid", "--reward", "spiral"),
                run("bench", "methods", "--reward", "annulus:radius=3"),
                run("bench", "grid", "--suite", "--reward", "coupling:scale=x"))) {
            assertEquals(2, r.code(), r.err());
        }
        assertOneLine(run("bench", "grid", "--reward", "spiral"), "unknown grid target 'spiral'");
        assertOneLine(run("bench", "methods", "--reward", "annulus:radius=3"), "no parameter [radius]");
        assertOneLine(run("demo", "--no-dashboard", "--reward", "annulus:inner=3,outer=9"), "offline only");
    }

    private static void assertOneLine(CliRun r, String expected) {
        assertTrue(r.code() != 0, "exit code 0 for bad input");
        String err = r.err().trim();
        assertFalse(err.contains("\n"), "more than one line: " + err);
        assertFalse(err.contains("Exception"), "a stack trace or exception name leaked: " + err);
        assertTrue(err.contains(expected), "'" + expected + "' not in: " + err);
    }
}

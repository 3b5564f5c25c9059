package org.ddpp.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddpp.ops.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device} on the commands that run a model: on a machine where PyTorch sees no GPU (this one, and every CPU
 * build), {@code gpu} is one line and exit 2 before anything starts, a malformed value too, and {@code cpu} runs
 * the same code path with the device passed explicitly.
 */
class DeviceOptionTest {

    @TempDir Path dir;

    @Test
    void gpuWithoutAGpuIsOneLineAndExitTwo() {
        boolean gpus = ai.djl.engine.Engine.getInstance().getGpuCount() > 0;
        org.junit.jupiter.api.Assumptions.assumeFalse(gpus, "this machine has a GPU");
        for (String[] args : new String[][] {
                {"trainer", "--pretrained", dir.toString(), "--state-dir", dir.resolve("s").toString(), "--device", "gpu"},
                {"sampler", "--pretrained", dir.toString(), "--device", "gpu:1"},
                {"pretrain", "--task", "grid", "--steps", "1", "--out", dir.resolve("p").toString(), "--device", "gpu"}}) {
            CliRun run = CliRun.of(args);
            if (args[0].equals("pretrain")) {
                assertEquals(2, run.code(), run.err());
                assertEquals(1, run.err().strip().lines().count(), run.err());
                assertTrue(run.err().contains("sees no GPU"), run.err());
            } else {
                // no checkpoint there: the first readable line wins, still one line and exit 2
                assertEquals(2, run.code(), run.err());
                assertEquals(1, run.err().strip().lines().count(), run.err());
            }
        }
        CliRun bad = CliRun.of("pretrain", "--task", "grid", "--steps", "1", "--out", dir.resolve("q").toString(), "--device", "tpu");
        assertEquals(2, bad.code());
        assertEquals("ddpp pretrain: device must be auto, cpu, gpu or gpu:N, got tpu", bad.err().strip());
    }

    @Test
    void cpuRunsThePathWithTheDeviceGivenExplicitly() {
        Path out = dir.resolve("cpu");
        CliRun run = CliRun.of("pretrain", "--task", "grid", "--steps", "2", "--out", out.toString(), "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isDirectory(out), "checkpoint written");
    }
}

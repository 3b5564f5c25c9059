package org.ddpp.ops.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ddpp.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scorer service written in another language (e.g. the Python {@code garnier-sheet} scorer), started by the demo
 * as a child process with its output in a log file, and stopped with SIGTERM (then killed) when the demo ends. It
 * meets the rest of the pipeline only through Kafka, like a scorer the user runs by hand.
 */
public final class ExternalScorerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalScorerProcess.class);

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalScorerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workingDir}; its stdout and stderr go to {@code log}. */
    public static ExternalScorerProcess start(String name, List<String> command, Path workingDir, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p;
        try {
            p = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start external scorer " + name + " (" + String.join(" ", command) + "): " + e.getMessage());
        }
        LOG.info("started external scorer {} (pid {}): {}; log {}", name, p.pid(), String.join(" ", command), log);
        return new ExternalScorerProcess(name, p, log);
    }

    public String name() {
        return name;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            LOG.warn("external scorer {} had already exited with {}; see {}", name, process.exitValue(), log);
            return;
        }
        Shutdown.stop(process, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }
}

package org.ddpp.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Roles started as real {@code ddpp} processes (child JVMs on this JVM's class path), each logging to its own file,
 * so tests and benchmarks can run the separate-process deployment — optionally each inside a network namespace of
 * its own — kill or stop them, and read what they printed. {@link #close()} kills whatever is still running.
 */
public final class RoleProcesses implements AutoCloseable {

    private final Path dir;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final java.util.Set<String> stopped = new java.util.HashSet<>();

    public RoleProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code ddpp args…} as role {@code name}; {@code DDPP_*} settings of this JVM's environment are not passed on. */
    public Process start(String name, String... args) throws IOException {
        return startWith(List.of(), name, args);
    }

    /**
     * Starts {@code ddpp args…} as role {@code name} behind {@code prefix} (e.g. {@code ip netns exec NS}, which
     * execs the JVM in place, so killing the process kills the role).
     */
    public Process startWith(List<String> prefix, String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), "org.ddpp.ops.DdppCommand"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(name).toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DDPP_") && !k.equals("DDPP_CACHE"));
        Process p = pb.start();
        processes.put(name, p);
        return p;
    }

    public Process get(String name) {
        return processes.get(name);
    }

    /** Sends role {@code name} SIGTERM; from now on its end is expected, not a failure. */
    public Process stop(String name) {
        stopped.add(name);
        Process p = processes.get(name);
        p.destroy();
        return p;
    }

    /** Sends role {@code name} SIGKILL (a crash); from now on its end is expected, not a failure. */
    public Process kill(String name) {
        stopped.add(name);
        Process p = processes.get(name);
        p.destroyForcibly();
        return p;
    }

    /** What role {@code name} printed so far. */
    public String log(String name) {
        try {
            return Files.readString(logFile(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last 3000 characters of every role's log. */
    public String allLogs() {
        StringBuilder sb = new StringBuilder();
        for (String name : processes.keySet()) {
            String text = log(name);
            sb.append("==== ").append(name).append('\n').append(text, Math.max(0, text.length() - 3000), text.length()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Waits until {@code done}, failing at once with every log when a started role dies, or when {@code limit} passes.
     * (A plain bounded loop: this class ships in the jar for {@code ddpp bench}, which carries no test libraries.)
     */
    public void await(String what, Duration limit, BooleanSupplier done) {
        long until = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            for (Map.Entry<String, Process> e : processes.entrySet()) {
                if (!stopped.contains(e.getKey()) && !e.getValue().isAlive()) {
                    throw new AssertionError(e.getKey() + " died while waiting for " + what + "; logs:\n" + allLogs());
                }
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what + "; logs:\n" + allLogs());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private Path logFile(String name) {
        return dir.resolve(name + ".log");
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
    }
}

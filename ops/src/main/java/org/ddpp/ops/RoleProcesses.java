package org.ddpp.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Roles started as real {@code ddpp} processes (child JVMs on this JVM's class path), each logging to its own file,
 * so tests, {@code ddpp chaos} and {@code ddpp bench failover} can run the separate-process deployment (optionally
 * each role inside a network namespace of its own), send them SIGTERM, SIGKILL, SIGSTOP and SIGCONT, start them
 * again with the same arguments and read what they printed. A role's log file survives its
 * restarts (each start appends). {@link #close()} kills whatever is still running.
 */
public final class RoleProcesses implements AutoCloseable {

    private final Path dir;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, List<String>> arguments = new LinkedHashMap<>();
    private final Map<String, List<String>> prefixes = new LinkedHashMap<>();
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
     * execs the JVM in place, so signals to the process reach the role).
     */
    public Process startWith(List<String> prefix, String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), "org.ddpp.ops.DdppCommand"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("DDPP_") && !k.equals("DDPP_CACHE"));
        Process p = pb.start();
        processes.put(name, p);
        arguments.put(name, List.of(args));
        prefixes.put(name, List.copyOf(prefix));
        stopped.remove(name);
        return p;
    }

    /** Starts role {@code name} again with the arguments of its last start (after it ended or was killed). */
    public Process restart(String name) throws IOException {
        return startWith(prefixes.get(name), name, arguments.get(name).toArray(String[]::new));
    }

    /** SIGKILL ({@code kill -9}) for role {@code name}, waiting until it is gone; its end is expected. */
    public void kill(String name) throws InterruptedException {
        stopped.add(name);
        Process p = processes.get(name);
        p.destroyForcibly();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
        }
    }

    /** Sends role {@code name} a signal by {@code kill -<signal> <pid>}, e.g. STOP or CONT; only our own child. */
    public void signal(String name, String signal) throws IOException, InterruptedException {
        Process p = processes.get(name);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                .redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + p.pid() + " (" + name + ") failed: " + said);
        }
    }

    /** The log file of role {@code name} (all its starts). */
    public Path logFile(String name) {
        return dir.resolve(name + ".log");
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

    /** The first role that ended although nobody stopped or killed it, or null while all run (or were stopped). */
    public String died() {
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            if (!stopped.contains(e.getKey()) && !e.getValue().isAlive()) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Waits until {@code done}, failing at once with every log when a started role dies, or when {@code limit} passes.
     * (A plain bounded loop: this class ships in the jar, which carries no test libraries such as Awaitility.)
     */
    public void await(String what, java.time.Duration limit, java.util.function.BooleanSupplier done) {
        long until = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            String died = died();
            if (died != null) {
                throw new AssertionError(died + " died while waiting for " + what + "; logs:\n" + allLogs());
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

    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
    }
}

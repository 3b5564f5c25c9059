package org.ddpp.ops.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of each role of an in-process pipeline (the embedded stack: broker, registry, samplers, scorers, joiner,
 * trainer), from the JVM's per-thread CPU clocks, so that a bench can report what each role costs per candidate —
 * the inputs of the capacity model (docs/performance.md). Threads are attributed by the names the roles and Kafka
 * give them; CPU the JVM spends outside Java threads (garbage collection, the JIT compiler) is {@code jvm}.
 * Threads are sampled once a second, so a thread that ends between samples loses at most its last second.
 */
final class RoleCpu implements AutoCloseable {

    /** Name fragments → role, first match wins (the trainer's and the joiner's producers carry their role's name). */
    private static final List<Map.Entry<String, String>> RULES = List.of(
            Map.entry("evaluator", "evaluator"), Map.entry("micrometer", "other"),
            Map.entry("reward-reader", "trainer"), Map.entry("trainer", "trainer"), Map.entry("policy-file-server", "trainer"),
            Map.entry("sampler", "samplers"),
            Map.entry("scorer", "scorers"),
            Map.entry("joiner", "joiner"), Map.entry("StreamThread", "joiner"),
            Map.entry("registry", "registry"), Map.entry("eventLoopGroup", "registry"),
            Map.entry("data-plane", "broker"), Map.entry("kafka-scheduler", "broker"), Map.entry("coordinator", "broker"),
            Map.entry("raft", "broker"), Map.entry("quorum", "broker"), Map.entry("log-cleaner", "broker"),
            Map.entry("transaction-log", "broker"), Map.entry("share-", "broker"), Map.entry("executor-", "broker"),
            Map.entry("ExpirationReaper", "broker"), Map.entry("metadata", "broker"), Map.entry("snapshot", "broker"),
            Map.entry("controller", "broker"), Map.entry("persister", "broker"), Map.entry("kafka-", "broker"));

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, String> roleOf = new HashMap<>();
    private final Map<Long, Long> startNanos = new HashMap<>();
    private final Map<Long, Long> lastNanos = new HashMap<>();
    private final long processStart;
    private final Thread sampler;
    private volatile boolean running = true;

    private RoleCpu() {
        threads.setThreadCpuTimeEnabled(true);
        processStart = os.getProcessCpuTime();
        sample(true);
        sampler = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                sample(false);
            }
        }, "ddpp-bench-role-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts measuring from now. */
    static RoleCpu start() {
        return new RoleCpu();
    }

    private synchronized void sample(boolean atStart) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long id = info.getThreadId();
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) {
                continue;
            }
            roleOf.computeIfAbsent(id, i -> role(info.getThreadName()));
            startNanos.putIfAbsent(id, atStart ? cpu : 0L); // a thread born after the start counts from zero
            lastNanos.put(id, cpu);
        }
    }

    static String role(String threadName) {
        for (Map.Entry<String, String> rule : RULES) {
            if (threadName.contains(rule.getKey())) {
                return rule.getValue();
            }
        }
        return "other";
    }

    /** CPU seconds per role since the start (threads plus {@code jvm}: process CPU outside Java threads). */
    synchronized Map<String, Double> seconds() {
        sample(false);
        Map<String, Double> out = new LinkedHashMap<>();
        double threadsTotal = 0;
        for (Map.Entry<Long, Long> e : lastNanos.entrySet()) {
            double s = (e.getValue() - startNanos.getOrDefault(e.getKey(), 0L)) / 1e9;
            out.merge(roleOf.get(e.getKey()), s, Double::sum);
            threadsTotal += s;
        }
        out.put("jvm", Math.max(0, (os.getProcessCpuTime() - processStart) / 1e9 - threadsTotal));
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}

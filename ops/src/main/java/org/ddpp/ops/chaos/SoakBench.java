package org.ddpp.ops.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ddpp bench soak}: the grid loop of separate processes ({@link GridCluster}) without faults, for a long time,
 * sampling every role process each interval — resident memory ({@code /proc/<pid>/status} VmRSS), Java heap in use
 * right after a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}), threads and open file descriptors —
 * and reporting the samples and their least-squares slopes per hour, so a leak shows as a slope that is not flat.
 */
public final class SoakBench {

    private static final Logger LOG = LoggerFactory.getLogger(SoakBench.class);
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private SoakBench() {}

    /** One sample of one process. */
    record Sample(double minutes, double rssMb, double heapAfterGcMb, int threads, int openFiles) {}

    /**
     * Runs the loop for {@link ChaosSettings#SOAK_MINUTES}, sampling every {@link ChaosSettings#SOAK_INTERVAL};
     * returns the report.
     */
    public static Map<String, Object> run(ChaosSettings settings) throws Exception {
        Duration interval = settings.get(ChaosSettings.SOAK_INTERVAL);
        Path dir = settings.workDir() != null ? Files.createDirectories(settings.workDir()) : Files.createTempDirectory("ddpp-soak-");
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Map<String, Object> report = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (GridCluster cluster = new GridCluster(settings, dir)) {
            cluster.startInfrastructure();
            ClusterConnection connection = cluster.connection();
            CachedSchemaRegistry registry = connection.cachedRegistry();
            Topics.registerValueSchemas(registry, Topics.all());
            cluster.startScoring();
            cluster.startTrainer();
            cluster.startSamplers();
            RoleProcesses roles = cluster.roles();
            List<String> names = new ArrayList<>(List.of(GridCluster.BROKER, GridCluster.REGISTRY));
            names.addAll(cluster.pipelineRoles());
            long end = started + settings.soakDuration().toNanos();
            long next = System.nanoTime();
            while (true) {
                String died = roles.died();
                if (died != null) {
                    throw new IllegalStateException(died + " exited during the soak:\n" + cluster.tail(died, 20));
                }
                if (System.nanoTime() >= next) {
                    double minutes = (System.nanoTime() - started) / 60e9;
                    for (String name : names) {
                        Sample s = sample(roles.get(name), minutes);
                        samples.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
                        LOG.info("soak: {} min {}: rss {} MB, heap after GC {} MB, {} threads, {} open files",
                                String.format("%.1f", minutes), name, round(s.rssMb()), round(s.heapAfterGcMb()), s.threads(), s.openFiles());
                    }
                    next += interval.toNanos();
                }
                if (System.nanoTime() >= end) {
                    break;
                }
                Thread.sleep(Math.max(1, Math.min(1000, (Math.min(next, end) - System.nanoTime()) / 1_000_000)));
            }
            // counts from the topics' end offsets, not a ledger of every record: an hour of ids outgrew the soak's own
            // heap (a ledger is what ddpp chaos needs, for its invariants; a soak only reports how much went through)
            report.putAll(logEnds(connection));
        } finally {
            if (settings.workDir() == null && !settings.keepWorkDir()) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        report.put("minutes", Math.round((System.nanoTime() - started) / 6e9) / 10.0);
        report.put("interval_s", interval.toSeconds());
        Map<String, Object> perRole = new LinkedHashMap<>();
        samples.forEach((name, list) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("slope_per_hour", slopes(list));
            r.put("samples", list.stream().map(s -> List.of(round(s.minutes()), round(s.rssMb()), round(s.heapAfterGcMb()),
                    (double) s.threads(), (double) s.openFiles())).toList());
            perRole.put(name, r);
        });
        report.put("sample_fields", List.of("minutes", "rss_mb", "heap_after_gc_mb", "threads", "open_files"));
        report.put("roles", perRole);
        return report;
    }

    /** Least-squares slopes per hour, over the samples after the first (start-up is not a leak). */
    static Map<String, Double> slopes(List<Sample> list) {
        List<Sample> steady = list.size() >= 3 ? list.subList(1, list.size()) : list;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("rss_mb", slope(steady, Sample::rssMb));
        out.put("heap_after_gc_mb", slope(steady, Sample::heapAfterGcMb));
        out.put("threads", slope(steady, s -> s.threads()));
        out.put("open_files", slope(steady, s -> s.openFiles()));
        return out;
    }

    private static Double slope(List<Sample> list, java.util.function.ToDoubleFunction<Sample> y) {
        if (list.size() < 2) {
            return null;
        }
        double mx = list.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double my = list.stream().mapToDouble(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : list) {
            num += (s.minutes() - mx) * (y.applyAsDouble(s) - my);
            den += (s.minutes() - mx) * (s.minutes() - mx);
        }
        return den == 0 ? null : round(num / den * 60);
    }

    private static Sample sample(Process p, double minutes) throws IOException, InterruptedException {
        long pid = p.pid();
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8);
        double rss = field(status, "VmRSS") / 1024.0;
        int threads = (int) field(status, "Threads");
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = (int) s.count();
        }
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        long usedKb = 0;
        // SerialGC prints the young and the old generation, each "total …K, used …K", then the metaspace lines
        for (int i = 0; i < 2 && m.find(); i++) {
            usedKb += Long.parseLong(m.group(1));
        }
        return new Sample(minutes, rss, usedKb / 1024.0, threads, fds);
    }

    private static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Records written per topic, as the sum of its partitions' stable end offsets (with transaction markers). */
    private static Map<String, Object> logEnds(ClusterConnection connection) {
        Map<String, Object> out = new LinkedHashMap<>();
        try (org.apache.kafka.clients.admin.Admin admin = connection.admin("ddpp-soak")) {
            for (String topic : List.of(connection.topics().candidates(), connection.topics().rewards(), connection.topics().policy())) {
                out.put(topic.replace("ddpp.", "").replace('.', '_') + "_log_end_offsets",
                        org.ddpp.runtime.StableOffsets.sum(admin, topic, Duration.ofSeconds(30)));
            }
        } catch (Exception e) {
            out.put("counts_error", e.toString());
        }
        return out;
    }
}

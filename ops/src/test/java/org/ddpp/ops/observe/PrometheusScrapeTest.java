package org.ddpp.ops.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ai.djl.ndarray.NDManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.RoleAwait;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.testkit.EmbeddedKafka;
import org.ddpp.registry.RegistryServer;
import org.ddpp.schemas.Topics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}, started on loopback with a generated scrape configuration)
 * scrapes {@code /metrics} of the roles run as separate processes and of a short {@code ddpp demo}; the test asks
 * Prometheus' HTTP API for every series the roles promise and checks their labels and that the counters moved.
 * Every metric the Grafana dashboard in {@code docker/grafana/dashboards} queries must then be among the series
 * Prometheus holds. {@code DDPP_REQUIRE_CONFORMANCE=1} (set by {@code .ci/run}) turns a missing Prometheus into a failure.
 */
class PrometheusScrapeTest {

    /** Every series a role promises, and whether it must have moved above 0 during a run. */
    private static final Map<String, Boolean> SERIES = new java.util.LinkedHashMap<>();

    static {
        SERIES.put("ddpp_trainer_steps_total", true);
        SERIES.put("ddpp_trainer_loss", false);
        SERIES.put("ddpp_trainer_log_z_full_mask", false);
        SERIES.put("ddpp_trainer_policy_version", true);
        SERIES.put("ddpp_trainer_staleness_versions", false);
        // steering: the version in force and the online posterior-quality figures beside the learned log Z
        SERIES.put("ddpp_trainer_reward_config_version", false);
        SERIES.put("ddpp_trainer_posterior_log_z_mc", false);
        SERIES.put("ddpp_trainer_posterior_ess_fraction", false);
        SERIES.put("ddpp_trainer_posterior_kl_pre", false);
        SERIES.put("ddpp_sampler_candidates_total", true);
        SERIES.put("ddpp_sampler_outstanding", false);
        SERIES.put("ddpp_scorer_scores_total", true);
        SERIES.put("ddpp_scorer_latency_seconds_count", true);
        SERIES.put("ddpp_scorer_latency_seconds_bucket", true);
        SERIES.put("ddpp_joiner_outcomes_total", true);
        SERIES.put("ddpp_joiner_pending", false);
        SERIES.put("ddpp_joiner_reward_config_rejected_total", false);
        SERIES.put("ddpp_dead_letters_total", false);
    }

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesEveryPromisedSeriesFromSeparateRolesAndFromTheDemo() throws Exception {
        boolean here = Files.isExecutable(PROMETHEUS);
        if (System.getenv("DDPP_REQUIRE_CONFORMANCE") != null) {
            assertTrue(here, "Debian's prometheus is not installed (.ci/run installs it)");
        }
        Assumptions.assumeTrue(here, "Debian's prometheus is not installed");
        int[] roles = {freePort(), freePort(), freePort(), freePort(), freePort()};
        int demo = freePort();
        int promPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:", "  scrape_interval: 1s", "  scrape_timeout: 900ms", "scrape_configs:",
                "  - job_name: roles", "    static_configs:", "      - targets: [" + targets(roles) + "]",
                "  - job_name: demo", "    static_configs:", "      - targets: [" + targets(demo) + "]", ""));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + promPort;
        try {
            waitUntil("Prometheus is ready", Duration.ofSeconds(30), () -> status(api + "/-/ready") == 200);
            separateRoles(roles, api);
            embeddedDemo(demo, api);
            assertDashboardReadsExportedSeries(api);
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The sampler, two scorers, the joiner and the trainer as processes, each with its own --metrics-port. */
    private void separateRoles(int[] ports, String api) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(dir.resolve("kafka")).start();
                RegistryServer registry = RegistryServer.builder().setBootstrapServers(kafka.bootstrapServers()).start();
                RoleProcesses roles = new RoleProcesses(dir)) {
            Path pretrained = dir.resolve("pretrained");
            try (NDManager root = NDManager.newBaseManager();
                    Mdm model = Mdm.create(new GridTask(), NetworkShape.of(16, 1, 2), 1L, root)) {
                Checkpoint.writer(pretrained, new GridTask()).setPolicy(model).write();
            }
            List<String> common = List.of("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry", registry.url());
            roles.start("scorer-half-plane", args(common, ports[0], "scorer", "--scorer", "grid-half-plane", "--instance-id", "h"));
            roles.start("scorer-center", args(common, ports[1], "scorer", "--scorer", "grid-center", "--instance-id", "c"));
            roles.start("joiner", args(common, ports[2], "joiner", "--in-memory-state", "--state-dir", dir.resolve("joiner").toString()));
            roles.start("trainer", args(common, ports[3], "trainer", "--run", "scraped", "--pretrained", pretrained.toString(),
                    "--state-dir", dir.resolve("trainer").toString(), "--batch-size", "16", "--initial-fill", "32",
                    "--warmup", "5", "--publish-every", "10"));
            roles.start("sampler", args(common, ports[4], "sampler", "--run", "scraped", "--pretrained", pretrained.toString(),
                    "--batch-size", "16", "--sampler-steps", "4", "--max-outstanding", "256"));
            RoleAwait.await(roles, "every role serves /health", Duration.ofSeconds(90), () -> {
                for (int port : ports) {
                    if (status("http://127.0.0.1:" + port + "/health") != 200) {
                        return false;
                    }
                }
                return true;
            });
            // a record no decoder accepts: scorers and joiner dead-letter it, so ddpp_dead_letters_total moves too
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), "poison".getBytes(StandardCharsets.UTF_8),
                        new byte[] {0, 1, 2})).get();
            }
            RoleAwait.await(roles, "Prometheus sees a trainer version and a dead letter", Duration.ofMinutes(3),
                    () -> max("roles", "ddpp_trainer_policy_version", api) > 0 && max("roles", "ddpp_dead_letters_total", api) > 0);
            assertSeries("roles", api);
            assertTrue(max("roles", "kafka_producer_record_send_total", api) > 0, "Kafka client metrics are bound");
            assertTrue(count("roles", "{__name__=~\"kafka_stream_.+\",job=\"roles\"}", api) > 0, "Kafka Streams metrics are bound");
        }
    }

    /** A short ddpp demo with every role in one process, all on one --metrics-port. */
    private void embeddedDemo(int port, String api) throws Exception {
        try (RoleProcesses demo = new RoleProcesses(dir)) {
            Process p = demo.start("demo", "demo", "--minutes", "0.75", "--pretrain-steps", "2000", "--no-dashboard",
                    "--cache-dir", Path.of("target", "ddpp-cache").toAbsolutePath().toString(),
                    "--work-dir", dir.resolve("demo").toString(), "--metrics-port", Integer.toString(port), "--run", "scraped-demo");
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the demo did not end:\n" + demo.allLogs());
            assertEquals(0, p.exitValue(), demo.allLogs());
            assertSeries("demo", api);
        }
    }

    /** Every metric the Grafana dashboard of docker/ queries is among the series Prometheus holds from these runs. */
    private void assertDashboardReadsExportedSeries(String api) throws Exception {
        HttpResponse<String> r = get(api + "/api/v1/label/__name__/values");
        JsonNode body = JSON.readTree(r.body());
        assertEquals("success", body.path("status").asText(), r.body());
        java.util.Set<String> exported = new java.util.TreeSet<>();
        body.path("data").forEach(name -> exported.add(name.asText()));
        java.util.Set<String> used = DashboardMetrics.metricNames(DashboardMetrics.DASHBOARD);
        assertTrue(used.size() > 10, "the dashboard queries " + used);
        java.util.Set<String> unknown = new java.util.TreeSet<>(used);
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), DashboardMetrics.DASHBOARD + " queries series no role exports: " + unknown);
    }

    private void assertSeries(String job, String api) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Boolean> s : SERIES.entrySet()) {
            JsonNode result = query("max_over_time(" + s.getKey() + "{job=\"" + job + "\"}[10m])", api);
            if (result.isEmpty()) {
                missing.add(s.getKey());
                continue;
            }
            for (JsonNode series : result) {
                JsonNode labels = series.path("metric");
                assertTrue(labels.hasNonNull("run") && labels.hasNonNull("role"), s.getKey() + " lacks run/role: " + labels);
            }
            if (s.getValue()) {
                double max = 0;
                for (JsonNode series : result) {
                    max = Math.max(max, parse(series.path("value").path(1).asText()));
                }
                assertTrue(max > 0, job + ": " + s.getKey() + " never moved above 0: " + result);
            }
        }
        assertTrue(missing.isEmpty(), job + ": Prometheus has no samples of " + missing);
    }

    private double max(String job, String name, String api) {
        double max = 0;
        try {
            for (JsonNode series : query("max_over_time(" + name + "{job=\"" + job + "\"}[10m])", api)) {
                max = Math.max(max, parse(series.path("value").path(1).asText()));
            }
        } catch (Exception e) {
            return 0;
        }
        return max;
    }

    private int count(String job, String selector, String api) throws Exception {
        return query("count(" + selector + ")", api).size();
    }

    private JsonNode query(String promQl, String api) throws IOException, InterruptedException {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("success", body.path("status").asText(), r.body());
        return body.path("data").path("result");
    }

    private static double parse(String value) {
        try {
            double v = Double.parseDouble(value);
            return Double.isNaN(v) ? 0 : v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The HTTP status of {@code GET url}, 0 when nothing answers. */
    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private HttpResponse<String> get(String url) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String[] args(List<String> common, int metricsPort, String... role) {
        List<String> out = new ArrayList<>(List.of(role));
        out.addAll(common);
        out.addAll(List.of("--metrics-port", Integer.toString(metricsPort)));
        return out.toArray(String[]::new);
    }

    private static String targets(int... ports) {
        StringBuilder sb = new StringBuilder();
        for (int p : ports) {
            sb.append(sb.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(p).append('\'');
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitUntil(String what, Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(250);
        }
    }
}

package org.ddpp.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ddpp.ops.DdppCommand;
import org.ddpp.ops.observe.DashboardMetrics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Holds {@code docker/} to the code, since no container engine runs where the tests do: every {@code ddpp} role
 * command of {@code compose.yaml} parses under the real picocli model of {@code ddpp} (subcommands, option names,
 * values, required options), every role serving metrics is scraped by {@code prometheus.yml}, the image's Java is
 * at least the build's release, the dashboard reads the provisioned datasource, and Debian's
 * {@code docker-compose config} accepts the file ({@code DDPP_REQUIRE_CONFORMANCE=1}, set by {@code .ci/run}, turns
 * a missing docker-compose into a failure). SnakeYAML (on the class path through Micronaut) resolves the file's
 * anchors and merge keys as compose does.
 */
class ComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    private static final String DDPP_DOCKERFILE = "docker/Dockerfile";
    private static final boolean REQUIRED = "1".equals(System.getenv("DDPP_REQUIRE_CONFORMANCE"));

    @Test
    void everyRoleCommandParsesUnderTheRealCommandLine() throws IOException {
        Map<String, List<String>> roles = ddppCommands(services());
        assertTrue(roles.keySet().containsAll(Set.of("registry", "topics", "pretrain", "sampler-policy", "sampler-pinned",
                "scorer-protein-sheet", "joiner", "trainer", "trainer-gpu")), "ddpp services: " + roles.keySet());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> role : roles.entrySet()) {
            List<String> args = role.getValue();
            try {
                CommandLine.ParseResult parsed = DdppCommand.commandLine().parseArgs(args.toArray(String[]::new));
                CommandLine.ParseResult leaf = parsed;
                while (leaf.hasSubcommand()) {
                    leaf = leaf.subcommand();
                }
                if (leaf == parsed) {
                    problems.add(role.getKey() + ": " + args + " names no ddpp role");
                }
            } catch (CommandLine.ParameterException e) {
                problems.add(role.getKey() + ": ddpp " + String.join(" ", args) + ": " + e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), "compose.yaml drifted from the ddpp command line:\n" + String.join("\n", problems));
        assertEquals(List.of("topics", "create", "--replication-factor", "3", "--min-insync-replicas", "2"),
                roles.get("topics").subList(0, 6), "the topic-creation one-shot");
        assertTrue(roles.get("sampler-pinned").contains("--pinned"), "one sampler is pinned to the pre-trained model");
    }

    @Test
    void thePythonScorerIsGivenOnlyOptionsItsHelpLists() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path scorer = Path.of("..", "scorers", "external", "python", "scorer.py");
        Run help = Files.isExecutable(python) ? run(List.of(python.toString(), scorer.toString(), "--help"), null) : new Run(-1, "");
        if (REQUIRED) {
            assertEquals(0, help.exit, "scorer.py --help (apt-get install python3-confluent-kafka python3-avro python3-requests):\n"
                    + help.output);
        }
        Assumptions.assumeTrue(help.exit == 0, "the Python scorer's Debian packages are not installed");
        Map<String, Object> service = map(services().get("scorer-garnier-sheet"));
        assertEquals("docker/scorer-python.Dockerfile", map(service.get("build")).get("dockerfile"));
        Set<String> known = new TreeSet<>();
        Matcher option = Pattern.compile("--[a-z][a-z-]*").matcher(help.output);
        while (option.find()) {
            known.add(option.group());
        }
        for (String arg : strings(service.get("command"))) {
            if (arg.startsWith("--")) {
                assertTrue(known.contains(arg.split("=", 2)[0]), "scorer.py has no option " + arg + "; it lists " + known);
            }
        }
    }

    @Test
    void theClusterIsThreeKraftNodesWithReplicationThreeAndMinIsrTwoAndTheGpuTrainerReservesAGpu() throws IOException {
        Map<String, Object> services = services();
        Set<String> clusterIds = new TreeSet<>();
        for (int node = 1; node <= 3; node++) {
            Map<String, Object> kafka = map(services.get("kafka-" + node));
            assertTrue(String.valueOf(kafka.get("image")).startsWith("apache/kafka:"), "kafka-" + node + " image");
            Map<String, Object> env = map(kafka.get("environment"));
            assertEquals(String.valueOf(node), String.valueOf(env.get("KAFKA_NODE_ID")));
            assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
            assertEquals("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093", env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            for (String key : List.of("KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")) {
                assertEquals("3", String.valueOf(env.get(key)), "kafka-" + node + " " + key);
            }
            for (String key : List.of("KAFKA_MIN_INSYNC_REPLICAS", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
                assertEquals("2", String.valueOf(env.get(key)), "kafka-" + node + " " + key);
            }
            clusterIds.add(String.valueOf(env.get("CLUSTER_ID")));
        }
        assertEquals(1, clusterIds.size(), "one cluster id: " + clusterIds);
        Map<String, Object> gpu = map(services.get("trainer-gpu"));
        assertEquals(List.of("gpu"), strings(gpu.get("profiles")));
        Map<String, Object> device = map(list(map(map(map(gpu.get("deploy")).get("resources")).get("reservations")).get("devices")).get(0));
        assertEquals("nvidia", device.get("driver"));
        assertEquals(List.of("gpu"), strings(device.get("capabilities")));
    }

    @Test
    void everyRoleServingMetricsIsScrapedAndListensBeyondLoopback() throws IOException {
        Map<String, Object> services = services();
        Set<String> targets = scrapeTargets();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> role : ddppCommands(services).entrySet()) {
            List<String> args = role.getValue();
            String port = valueOf(args, "--metrics-port");
            if (port == null) {
                if (!Set.of("topics", "pretrain").contains(role.getKey())) {
                    problems.add(role.getKey() + ": a long-running role without --metrics-port");
                }
                continue;
            }
            if (!"0.0.0.0".equals(valueOf(args, "--metrics-host"))) {
                problems.add(role.getKey() + ": --metrics-host must be 0.0.0.0 inside a container");
            }
            Set<String> names = new TreeSet<>(List.of(role.getKey()));
            names.addAll(aliases(map(services.get(role.getKey()))));
            if (names.stream().noneMatch(n -> targets.contains(n + ":" + port))) {
                problems.add(role.getKey() + ": prometheus.yml scrapes none of " + names + " on port " + port);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theImageRunsTheBuildsJavaReleaseAndTheDashboardReadsTheProvisionedDatasource() throws IOException {
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertTrue(release.find(), "root pom.xml sets maven.compiler.release");
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        List<String> froms = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
        while (from.find()) {
            froms.add(from.group(1));
        }
        Matcher java = Pattern.compile("eclipse-temurin:(\\d+)-jre").matcher(froms.get(froms.size() - 1));
        assertTrue(java.find(), "the runtime stage is a Java runtime image: " + froms);
        assertTrue(Integer.parseInt(java.group(1)) >= Integer.parseInt(release.group(1)),
                "the image's Java " + java.group(1) + " is older than the build's release " + release.group(1));
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/ddpp/ddpp.jar\"]"), "entrypoint java -jar ddpp.jar");
        assertTrue(dockerfile.contains("\nUSER ddpp\n"), "the image runs as a non-root user");

        Map<String, Object> datasources = yaml(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml"));
        String uid = (String) map(list(datasources.get("datasources")).get(0)).get("uid");
        JsonNode dashboard = new ObjectMapper().readTree(DashboardMetrics.DASHBOARD.toFile());
        assertFalse(DashboardMetrics.expressions(DashboardMetrics.DASHBOARD).isEmpty(), "the dashboard has queries");
        for (JsonNode panel : dashboard.path("panels")) {
            assertEquals(uid, panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                assertEquals(uid, target.path("datasource").path("uid").asText(), panel.path("title").asText());
            }
        }
    }

    @Test
    void dashboardMetricNamesLeaveOutFunctionsLabelsAndGrouping() {
        assertEquals(Set.of("ddpp_scorer_latency_seconds_bucket"), DashboardMetrics.metricNames(
                "histogram_quantile(0.99, sum by (le, scorer) (rate(ddpp_scorer_latency_seconds_bucket{job=\"x\"}[1m])))"));
        assertEquals(Set.of("up", "jvm_memory_used_bytes"), DashboardMetrics.metricNames(
                "up * on (instance) group_left sum without (area) (jvm_memory_used_bytes{area=\"heap\"} offset 5m) > bool 1e3"));
    }

    @Test
    void dockerComposeAcceptsTheFileAndRequiresTheGrafanaPassword() throws Exception {
        Path dockerCompose = onPath("docker-compose");
        if (REQUIRED) {
            assertTrue(dockerCompose != null, "Debian's docker-compose is not installed (.ci/run installs it)");
        }
        Assumptions.assumeTrue(dockerCompose != null, "Debian's docker-compose is not installed");
        List<String> command = List.of(dockerCompose.toString(), "-f", COMPOSE.toString(), "config", "-q");
        Run ok = run(command, "not-a-secret-compose-config-check");
        assertEquals(0, ok.exit, "docker-compose config:\n" + ok.output);
        Run noPassword = run(command, null);
        assertNotEquals(0, noPassword.exit, "the Grafana admin password must have no default:\n" + noPassword.output);
        assertTrue(noPassword.output.contains("GRAFANA_ADMIN_PASSWORD"), noPassword.output);
    }

    /** service → ddpp arguments (role first), for every service built from the ddpp image. */
    private static Map<String, List<String>> ddppCommands(Map<String, Object> services) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            Object build = service.get("build");
            if (build == null || !DDPP_DOCKERFILE.equals(map(build).get("dockerfile"))) {
                continue;
            }
            Object entrypoint = service.get("entrypoint");
            if (entrypoint != null) {
                // a shell guard in front of the image's entrypoint must still exec the jar with the command's arguments
                // ($$ is compose's escape for a literal $)
                assertTrue(String.join(" ", strings(entrypoint)).replace("$$", "$").contains("exec java -jar /opt/ddpp/ddpp.jar \"$@\""),
                        e.getKey() + ": entrypoint " + entrypoint + " does not run ddpp.jar with the command");
            }
            out.put(e.getKey(), strings(service.get("command")));
        }
        return out;
    }

    private static Map<String, Object> services() throws IOException {
        return map(yaml(COMPOSE).get("services"));
    }

    private static Set<String> scrapeTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        for (Object job : list(yaml(DOCKER.resolve("prometheus/prometheus.yml")).get("scrape_configs"))) {
            for (Object config : list(map(job).get("static_configs"))) {
                targets.addAll(strings(map(config).get("targets")));
            }
        }
        return targets;
    }

    private static List<String> aliases(Map<String, Object> service) {
        List<String> out = new ArrayList<>();
        Object networks = service.get("networks");
        if (networks instanceof Map<?, ?> m) {
            for (Object network : m.values()) {
                if (network instanceof Map<?, ?> n && n.get("aliases") != null) {
                    out.addAll(strings(n.get("aliases")));
                }
            }
        }
        return out;
    }

    private static String valueOf(List<String> args, String option) {
        int i = args.indexOf(option);
        return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(r));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            fail("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new AssertionError("expected a list, got " + o);
        }
        return l;
    }

    /** A YAML list of scalars as strings (compose reads numbers in a command as their text). */
    private static List<String> strings(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        for (Object item : list(o)) {
            out.add(String.valueOf(item));
        }
        return out;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, String grafanaPassword) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("GRAFANA_ADMIN_PASSWORD");
        if (grafanaPassword != null) {
            pb.environment().put("GRAFANA_ADMIN_PASSWORD", grafanaPassword);
        }
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}

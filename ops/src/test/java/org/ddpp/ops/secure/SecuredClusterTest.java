package org.ddpp.ops.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ai.djl.ndarray.NDManager;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.CliRun;
import org.ddpp.ops.RoleAwait;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.testkit.EmbeddedKafka;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.testkit.TestUsers;
import org.ddpp.testkit.Wait;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.ConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles against a secured cluster, configured only through {@code --client-config}: a broker whose client
 * listener is SASL_PLAINTEXT/PLAIN, our registry (a separate process with basic auth) storing its schemas through that
 * listener; a sampler, two scorers,
 * the joiner and the trainer as separate processes. Every candidate is accounted for exactly once; wrong
 * credentials are one line and exit code 2; and once the broker is gone, SIGTERM stops every role within the
 * shutdown bound.
 */
class SecuredClusterTest {

    private static final String RUN = "secured";
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void rolesRunThroughSaslWithOnlyAClientConfigAndStopOnSigtermWithoutTheBroker() throws Exception {
        String password = HexFormat.of().formatHex(SecureRandom.getSeed(12));
        EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(dir.resolve("kafka"))
                .optSaslPlainUsers(Map.of("ddpp", password)).start();
        try (RoleProcesses roles = new RoleProcesses(dir)) {
            Map<String, String> sasl = EmbeddedKafka.saslPlainClient("ddpp", password);
            TestUsers users = TestUsers.create();
            Map<String, String> storage = new LinkedHashMap<>(sasl);
            storage.put("bootstrap.servers", kafka.bootstrapServers());
            int registryPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                registryPort = socket.getLocalPort();
            }
            Process registry = roles.start("registry", "registry", "--client-config", write("storage.properties", storage).toString(),
                    "--users", users.file.toString(), "--port", Integer.toString(registryPort));
            String registryUrl = "http://127.0.0.1:" + registryPort;
            RoleAwait.await(roles, "the registry serves", Duration.ofSeconds(60), () -> roles.log("registry").contains(registryUrl));
            {
                Map<String, String> client = new LinkedHashMap<>(sasl);
                client.put("bootstrap.servers", kafka.bootstrapServers());
                client.put("schema.registry.url", registryUrl);
                client.put("basic.auth.credentials.source", "USER_INFO");
                client.put("basic.auth.user.info", users.writer());
                Path config = write("client.properties", client);
                ClusterConnection connection = ConnectionSettings.fromProperties(client);

                Map<String, String> wrong = new LinkedHashMap<>(client);
                wrong.putAll(EmbeddedKafka.saslPlainClient("ddpp", password + "x"));
                CliRun refused = CliRun.of("scorer", "--scorer", "grid-center", "--client-config",
                        write("wrong.properties", wrong).toString(), "--startup-timeout", "20s");
                assertEquals(2, refused.code(), refused.err());
                assertEquals(1, refused.err().strip().lines().count(), refused.err());
                assertTrue(refused.err().startsWith("ddpp scorer: Kafka at " + kafka.bootstrapServers() + " refused the credentials"),
                        refused.err());
                Map<String, String> wrongRegistry = new LinkedHashMap<>(client);
                wrongRegistry.put("basic.auth.user.info", "writer:" + TestUsers.randomPassword());
                CliRun refusedByRegistry = CliRun.of("joiner", "--client-config", write("wrong-registry.properties", wrongRegistry).toString());
                assertEquals(2, refusedByRegistry.code(), refusedByRegistry.err());
                assertEquals("ddpp joiner: schema registry at " + registryUrl + " refused the credentials (HTTP 401)",
                        refusedByRegistry.err().strip());

                Path pretrained = dir.resolve("pretrained");
                try (NDManager root = NDManager.newBaseManager();
                        Mdm model = Mdm.create(new GridTask(), NetworkShape.of(16, 1, 2), 1L, root)) {
                    Checkpoint.writer(pretrained, new GridTask()).setPolicy(model).write();
                }
                String cc = config.toString();
                Process halfPlane = roles.start("scorer-half-plane", "scorer", "--scorer", "grid-half-plane", "--client-config", cc,
                        "--instance-id", "h", "--metrics-interval", "1s");
                Process center = roles.start("scorer-center", "scorer", "--scorer", "grid-center", "--client-config", cc,
                        "--instance-id", "c", "--metrics-interval", "1s");
                Process joiner = roles.start("joiner", "joiner", "--client-config", cc, "--in-memory-state",
                        "--state-dir", dir.resolve("joiner").toString(), "--join-timeout", "20s", "--metrics-interval", "1s");
                Process trainer = roles.start("trainer", "trainer", "--client-config", cc, "--run", RUN,
                        "--pretrained", pretrained.toString(), "--state-dir", dir.resolve("trainer").toString(),
                        "--batch-size", "16", "--initial-fill", "32", "--warmup", "5", "--publish-every", "10");
                Process sampler = roles.start("sampler", "sampler", "--client-config", cc, "--run", RUN,
                        "--pretrained", pretrained.toString(), "--batch-size", "16", "--sampler-steps", "4",
                        "--max-outstanding", "256", "--metrics-interval", "1s");
                RunAccounting accounting = new RunAccounting(connection, connection.cachedRegistry());

                RoleAwait.await(roles, "the trainer trained on scored candidates and published a version", Duration.ofMinutes(3),
                        () -> roles.log("trainer").matches("(?s).*step \\d+ version [1-9].*"));
                long sent = System.nanoTime();
                roles.stop("sampler");
                assertTrue(sampler.waitFor(SHUTDOWN_BOUND.toSeconds(), TimeUnit.SECONDS), "sampler ignored SIGTERM");
                LOG_TIMES.put("sampler", (System.nanoTime() - sent) / 1e9);
                assertEquals(0, roles.get("sampler").exitValue(), "a clean stop after SIGTERM exits 0");
                RoleAwait.await(roles, "every candidate settled", Duration.ofSeconds(90), () -> accounting.of(RUN).inFlight() == 0);
                RunAccounting.Report report = accounting.of(RUN);
                assertTrue(report.candidates() >= 16, "candidates: " + report);
                assertTrue(report.exact(), "exactly once: " + report);
                assertEquals(report.candidates(), report.scored() + report.deadLettered(), report.toString());

                kafka.close();
                List<Process> rest = List.of(halfPlane, center, joiner, trainer, registry);
                sent = System.nanoTime();
                ROLE_NAMES.forEach(roles::stop);
                for (int i = 0; i < rest.size(); i++) {
                    Process p = rest.get(i);
                    assertTrue(p.waitFor(SHUTDOWN_BOUND.toMillis() - (System.nanoTime() - sent) / 1_000_000, TimeUnit.MILLISECONDS),
                            ROLE_NAMES.get(i) + " did not exit within the bound after SIGTERM with the broker gone:\n"
                                    + roles.log(ROLE_NAMES.get(i)));
                    LOG_TIMES.put(ROLE_NAMES.get(i), (System.nanoTime() - sent) / 1e9);
                    assertEquals(0, p.exitValue(), ROLE_NAMES.get(i) + " closed within the bound, so it exits 0:\n" + roles.log(ROLE_NAMES.get(i)));
                }
                System.out.println("seconds from SIGTERM to exit: " + LOG_TIMES);
                if (System.getenv("DDPP_TEST_SHOW_LOGS") != null) {
                    System.out.println(roles.allLogs());
                }
            }
        } finally {
            kafka.close();
        }
    }

    private static final List<String> ROLE_NAMES = List.of("scorer-half-plane", "scorer-center", "joiner", "trainer", "registry");
    private static final Map<String, Double> LOG_TIMES = new LinkedHashMap<>();

    private Path write(String name, Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        Path file = dir.resolve(name);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "generated by the test");
        }
        return file;
    }

}

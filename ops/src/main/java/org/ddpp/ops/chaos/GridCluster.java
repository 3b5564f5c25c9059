package org.ddpp.ops.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import ai.djl.ndarray.NDManager;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.runtime.ClusterConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid loop as separate {@code ddpp} processes on 127.0.0.1, in one work directory: {@code ddpp broker} and
 * {@code ddpp registry} on fixed ports (so that restarts come back where the clients look), one scorer per grid
 * scorer, the joiner, the trainer and two samplers (one following the policy, one pinned to the pre-trained model).
 * Every role is started through its command-line flags only, with the short timeouts of {@link ChaosSettings}.
 */
final class GridCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GridCluster.class);

    static final String BROKER = "broker";
    static final String REGISTRY = "registry";
    static final String JOINER = "joiner";
    static final String TRAINER = "trainer";
    static final String SAMPLER_FOLLOWING = "sampler-following";
    static final String SAMPLER_PINNED = "sampler-pinned";
    static final List<String> SCORERS = List.of("grid-half-plane", "grid-center");

    private final ChaosSettings settings;
    private final Path dir;
    private final RoleProcesses roles;
    private final int brokerPort;
    private final int controllerPort;
    private final int registryPort;
    private final Path pretrained;

    GridCluster(ChaosSettings settings, Path dir) throws IOException {
        this.settings = settings;
        this.dir = dir;
        this.roles = new RoleProcesses(Files.createDirectories(dir.resolve("logs")));
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        this.registryPort = freePort();
        this.pretrained = settings.pretrained() != null ? settings.pretrained() : writeTinyModel(dir.resolve("pretrained"));
    }

    static String scorerRole(String scorer) {
        return "scorer-" + scorer;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    ClusterConnection connection() {
        return ClusterConnection.local(bootstrapServers(), registryUrl());
    }

    RoleProcesses roles() {
        return roles;
    }

    Path trainerStateDir() {
        return dir.resolve("trainer");
    }

    /** Starts the broker and the registry and waits until both serve. */
    void startInfrastructure() throws Exception {
        roles.start(BROKER, "broker", "--data-dir", dir.resolve("kafka").toString(), "--port", Integer.toString(brokerPort),
                "--controller-port", Integer.toString(controllerPort));
        awaitServing(BROKER, 0);
        roles.start(REGISTRY, "registry", "--bootstrap-servers", bootstrapServers(), "--port", Integer.toString(registryPort),
                "--startup-timeout", ChaosSettings.flag(settings.startupTimeout()));
        awaitServing(REGISTRY, 0);
    }

    /** Starts the scorers, the joiner and the samplers (the trainer is started by the caller, which accounts for it). */
    void startScoring() throws IOException {
        for (String scorer : SCORERS) {
            roles.start(scorerRole(scorer), withConnection("scorer", "--scorer", scorer, "--instance-id", "chaos-" + scorer,
                    "--session-timeout", ChaosSettings.flag(settings.sessionTimeout()), "--transaction-timeout", ChaosSettings.flag(settings.transactionTimeout()),
                    "--metrics-interval", "2s"));
        }
        roles.start(JOINER, withConnection("joiner", "--in-memory-state", "--state-dir", dir.resolve("joiner").toString(),
                "--join-timeout", ChaosSettings.flag(settings.joinTimeout()), "--metrics-interval", "2s",
                "--client-config", clientConfig().toString()));
    }

    /** The trainer's flags; its state directory survives restarts, so it resumes its checkpoint. */
    void startTrainer() throws IOException {
        roles.start(TRAINER, withConnection("trainer", "--run", settings.run(), "--pretrained", pretrained.toString(),
                "--state-dir", trainerStateDir().toString(), "--batch-size", "16", "--buffer", "2000",
                "--initial-fill", Integer.toString(settings.initialFill()), "--warmup", "5",
                "--publish-every", Integer.toString(settings.publishEvery()),
                "--checkpoint-every", Integer.toString(settings.checkpointEvery()),
                "--fresh-per-step", Integer.toString(settings.freshPerStep())));
    }

    void startSamplers() throws IOException {
        roles.start(SAMPLER_FOLLOWING, withConnection("sampler", "--run", settings.run(), "--pretrained", pretrained.toString(),
                "--sampler-id", SAMPLER_FOLLOWING, "--batch-size", "16", "--sampler-steps", "4",
                "--max-outstanding", Integer.toString(settings.maxOutstanding()), "--seed", Long.toString(settings.seed()),
                "--metrics-interval", "2s"));
        roles.start(SAMPLER_PINNED, withConnection("sampler", "--run", settings.run(), "--pretrained", pretrained.toString(),
                "--pinned", "--sampler-id", SAMPLER_PINNED, "--batch-size", "16", "--sampler-steps", "4",
                "--max-outstanding", Integer.toString(settings.maxOutstanding()), "--seed", Long.toString(settings.seed() + 1),
                "--metrics-interval", "2s"));
    }

    /** Every role but the broker and the registry, in start order. */
    List<String> pipelineRoles() {
        List<String> out = new ArrayList<>();
        SCORERS.forEach(s -> out.add(scorerRole(s)));
        out.addAll(List.of(JOINER, TRAINER, SAMPLER_FOLLOWING, SAMPLER_PINNED));
        return out;
    }

    /**
     * Waits until a broker or registry (re)started at log position {@code from} prints the address it serves,
     * failing when it exits or takes longer than the startup timeout plus a minute.
     */
    void awaitServing(String name, long from) throws Exception {
        String marker = BROKER.equals(name) ? bootstrapServers() : registryUrl();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).plus(settings.startupTimeout()).toNanos();
        while (true) {
            String text = Files.exists(roles.logFile(name)) ? Files.readString(roles.logFile(name), StandardCharsets.UTF_8) : "";
            if (text.length() > from && text.substring((int) from).lines().anyMatch(l -> l.strip().equals(marker))) {
                return;
            }
            if (!roles.get(name).isAlive()) {
                throw new IllegalStateException(name + " exited with " + roles.get(name).exitValue() + " before serving:\n" + tail(name, 20));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not serve " + marker + " in time:\n" + tail(name, 20));
            }
            Thread.sleep(200);
        }
    }

    /** Current length of a role's log, the position from which a restart's output starts. */
    long logLength(String name) throws IOException {
        return Files.exists(roles.logFile(name)) ? Files.size(roles.logFile(name)) : 0;
    }

    /** The last {@code lines} lines of a role's log. */
    String tail(String name, int lines) {
        List<String> all = roles.log(name).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String[] withConnection(String command, String... args) {
        List<String> out = new ArrayList<>(List.of(command, "--bootstrap-servers", bootstrapServers(),
                "--schema-registry", registryUrl(), "--startup-timeout", ChaosSettings.flag(settings.startupTimeout()),
                "--shutdown-timeout", ChaosSettings.flag(settings.shutdownTimeout())));
        out.addAll(List.of(args));
        return out.toArray(String[]::new);
    }

    /** Kafka client keys for the joiner's Kafka Streams consumers: a short session, so a stopped joiner is noticed. */
    private Path clientConfig() throws IOException {
        Path file = dir.resolve("joiner-client.properties");
        if (!Files.exists(file)) {
            Properties p = new Properties();
            p.setProperty("session.timeout.ms", Long.toString(settings.sessionTimeout().toMillis()));
            p.setProperty("heartbeat.interval.ms", Long.toString(settings.sessionTimeout().toMillis() / 3));
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "ddpp chaos: joiner client settings");
            }
        }
        return file;
    }

    /** A small untrained grid model as the run's pre-trained checkpoint: the plumbing, not the model, is under test. */
    private static Path writeTinyModel(Path out) throws IOException {
        try (NDManager root = NDManager.newBaseManager();
                Mdm model = Mdm.create(new GridTask(), NetworkShape.of(16, 1, 2), 1L, root)) {
            Checkpoint.writer(out, new GridTask()).setPolicy(model).write();
        }
        LOG.info("chaos: wrote a small untrained grid model to {}", out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        roles.close();
    }
}

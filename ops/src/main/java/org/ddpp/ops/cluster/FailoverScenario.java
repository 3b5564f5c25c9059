package org.ddpp.ops.cluster;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.ops.demo.RunAccounting;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.testkit.NetworkNamespaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A grid run on a real three-broker KRaft cluster spread over network namespaces (three brokers, the registry and
 * the roles each on hosts of their own), through which faults are injected one after another: SIGKILL of the broker
 * that leads most candidate and reward partitions (restarted later), SIGKILL of the active controller (restarted
 * later), and a broker cut off the network for a while. Afterwards it drains the run and checks from the topics that
 * every candidate has exactly one reward or dead letter, and compares the exact TV of the pre-trained and the final
 * policy to the target. Used by {@code ddpp bench failover} and, shorter, by the CI test.
 */
public final class FailoverScenario {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverScenario.class);
    private static final String RUN = "failover";
    private static final String REWARD = "grid-half-plane=1,grid-center=1";
    private static final Pattern TRAINER_STEP = Pattern.compile("trainer " + RUN + " step (\\d+) version (\\d+)");

    /** What can vary between the bench and the CI test. */
    public record Settings(Path dir, Duration warmUp, Duration downFor, Duration cutFor, Duration progressLimit,
            Duration drainLimit, List<Fault> faults) {
        public Settings {
            Objects.requireNonNull(dir, "dir");
            faults = List.copyOf(faults);
        }
    }

    /** The kinds of fault, in the order they are usually injected. */
    public enum Fault { LEADER_KILL, CONTROLLER_KILL, NETWORK_CUT }

    /** What one fault did: which broker, and how long no new reward was committed after it. */
    public record FaultResult(Fault kind, int broker, double secondsWithoutProgress, long trainerStepsDuring) {}

    /** The outcome of a run. */
    public record Result(int candidates, int rewards, int deadLetters, int lost, int duplicates, List<FaultResult> faults,
            double tvStart, double tvEnd, long trainerSteps) {

        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("candidates", candidates);
            out.put("rewards", rewards);
            out.put("dead_letters", deadLetters);
            out.put("lost", lost);
            out.put("duplicates", duplicates);
            List<Map<String, Object>> f = new ArrayList<>();
            for (FaultResult r : faults) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("fault", r.kind().name().toLowerCase(java.util.Locale.ROOT));
                m.put("broker", r.broker());
                m.put("seconds_without_progress", r.secondsWithoutProgress());
                m.put("trainer_steps_during", r.trainerStepsDuring());
                f.add(m);
            }
            out.put("seconds_without_progress", f);
            out.put("tv_start", tvStart);
            out.put("tv_end", tvEnd);
            out.put("trainer_steps", trainerSteps);
            return out;
        }
    }

    private final Settings settings;
    private final Map<Integer, List<String>> brokerCommands = new LinkedHashMap<>();
    private final Map<Integer, String> brokerProcess = new LinkedHashMap<>();
    private NetworkNamespaces net;
    private RoleProcesses roles;

    public FailoverScenario(Settings settings) {
        this.settings = settings;
    }

    /** Runs the scenario; throws with one readable line when namespaces cannot be created here. */
    public Result run() throws IOException, InterruptedException {
        String why = NetworkNamespaces.unavailable();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        Files.createDirectories(settings.dir());
        try (NetworkNamespaces n = NetworkNamespaces.create(List.of("b1", "b2", "b3", "reg", "r1", "r2"));
                RoleProcesses r = new RoleProcesses(settings.dir())) {
            this.net = n;
            this.roles = r;
            return runIn();
        }
    }

    private Result runIn() throws IOException, InterruptedException {
        String clusterId = Uuid.randomUuid().toString();
        String voters = "1@" + net.address("b1") + ":9093,2@" + net.address("b2") + ":9093,3@" + net.address("b3") + ":9093";
        for (int id = 1; id <= 3; id++) {
            String host = "b" + id;
            brokerCommands.put(id, List.of("broker", "--host", net.address(host), "--port", "9092", "--controller-port", "9093",
                    "--node-id", Integer.toString(id), "--controller-quorum-voters", voters, "--cluster-id", clusterId,
                    "--data-dir", settings.dir().resolve(host).toString()));
            startBroker(id, 0);
        }
        for (int id = 1; id <= 3; id++) {
            awaitBroker(id);
        }
        String bootstrap = net.address("b1") + ":9092," + net.address("b2") + ":9092," + net.address("b3") + ":9092";
        String registryUrl = "http://" + net.address("reg") + ":8081";
        ClusterConnection connection = ClusterConnection.local(bootstrap, registryUrl);
        LOG.info("three brokers up at {}; creating topics: {}", bootstrap, connection.createMissingTopics());

        role("reg", "registry", "registry", "--bootstrap-servers", bootstrap, "--host", net.address("reg"), "--port", "8081");
        roles.await("the registry serves", Duration.ofMinutes(2), () -> roles.log("registry").contains(registryUrl));
        Path pretrained = settings.dir().resolve("pretrained");
        GridTask grid = new GridTask();
        double[] target;
        double tvStart;
        try (NDManager root = NDManager.newBaseManager(); Mdm model = Mdm.create(grid, NetworkShape.of(16, 1, 2), 1L, root)) {
            Checkpoint.writer(pretrained, grid).setPolicy(model).write();
            RewardFunction reward = ExactRewards.of(RewardComposition.parse(REWARD, RewardComposition.DEFAULT_FLOOR));
            double[] p = GridEvaluation.exact(model);
            target = new GridEvaluation(grid, reward, reward).target(p);
            tvStart = Distributions.totalVariation(p, target);
        }
        String[] shared = {"--bootstrap-servers", bootstrap, "--schema-registry", registryUrl, "--startup-timeout", "60s"};
        role("r2", "scorer-half-plane", concat(new String[] {"scorer", "--scorer", "grid-half-plane", "--instance-id", "h"}, shared));
        role("r2", "scorer-center", concat(new String[] {"scorer", "--scorer", "grid-center", "--instance-id", "c"}, shared));
        role("r2", "joiner", concat(new String[] {"joiner", "--reward", REWARD, "--state-dir",
                settings.dir().resolve("joiner").toString()}, shared));
        role("r1", "trainer", concat(new String[] {"trainer", "--run", RUN, "--pretrained", pretrained.toString(),
                "--state-dir", settings.dir().resolve("trainer").toString(), "--http-host", net.address("r1"),
                "--batch-size", "16", "--initial-fill", "32", "--warmup", "5", "--publish-every", "10"}, shared));
        role("r2", "sampler", concat(new String[] {"sampler", "--run", RUN, "--pretrained", pretrained.toString(),
                "--batch-size", "16", "--sampler-steps", "4", "--max-outstanding", "256"}, shared));
        roles.await("the trainer published a version", Duration.ofMinutes(4), () -> trainerStep(1) >= 0);
        Thread.sleep(settings.warmUp().toMillis());

        List<FaultResult> results = new ArrayList<>();
        try (Admin admin = connection.admin("ddpp-failover")) {
            for (Fault fault : settings.faults()) {
                awaitFullIsr(admin, connection);
                results.add(inject(fault, admin, connection));
            }
            awaitFullIsr(admin, connection);
        }

        roles.stop("sampler");
        roles.get("sampler").waitFor(60, TimeUnit.SECONDS);
        RunAccounting accounting = new RunAccounting(connection, connection.cachedRegistry());
        long drainUntil = System.nanoTime() + settings.drainLimit().toNanos();
        RunAccounting.Report report = accounting.of(RUN);
        while (report.inFlight() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(2_000);
            report = accounting.of(RUN);
        }
        long steps = trainerStep(0);
        roles.stop("trainer");
        roles.get("trainer").waitFor(60, TimeUnit.SECONDS);
        double tvEnd;
        try (NDManager root = NDManager.newBaseManager()) {
            Checkpoint last = Checkpoint.openLatest(settings.dir().resolve("trainer").resolve("checkpoint"))
                    .orElseThrow(() -> new IllegalStateException("the trainer left no checkpoint; logs:\n" + roles.allLogs()));
            try (Mdm policy = last.loadPolicy(root)) {
                tvEnd = Distributions.totalVariation(GridEvaluation.exact(policy), target);
            }
        }
        Result result = new Result(report.candidates(), report.scored(), report.deadLettered(), report.inFlight(),
                report.duplicatesScored() + report.duplicatesDeadLettered() + report.scoredAndDeadLettered() + report.unknownScored(),
                results, tvStart, tvEnd, steps);
        LOG.info("failover run: {}", result);
        return result;
    }

    private FaultResult inject(Fault fault, Admin admin, ClusterConnection connection) throws IOException, InterruptedException {
        int broker = switch (fault) {
            case CONTROLLER_KILL -> activeController(admin);
            case LEADER_KILL, NETWORK_CUT -> busiestLeader(admin, connection);
        };
        long before = committedRewards(admin, connection);
        long stepsBefore = trainerStep(0);
        long t0 = System.nanoTime();
        LOG.info("fault {}: broker {} ({} committed rewards so far)", fault, broker, before);
        switch (fault) {
            case LEADER_KILL, CONTROLLER_KILL -> {
                roles.kill(brokerProcess.get(broker));
            }
            case NETWORK_CUT -> net.cut("b" + broker);
        }
        double stalled = Double.NaN;
        long downUntil = t0 + (fault == Fault.NETWORK_CUT ? settings.cutFor() : settings.downFor()).toNanos();
        long limit = t0 + settings.progressLimit().toNanos();
        boolean restored = false;
        while (System.nanoTime() < limit && (Double.isNaN(stalled) || !restored)) {
            if (!restored && System.nanoTime() >= downUntil) {
                if (fault == Fault.NETWORK_CUT) {
                    net.restore("b" + broker);
                } else {
                    startBroker(broker, brokerProcess.size());
                }
                restored = true;
            }
            if (Double.isNaN(stalled)) {
                long now = committedRewards(admin, connection);
                if (now > before) {
                    stalled = (System.nanoTime() - t0) / 1e9;
                    LOG.info("fault {}: rewards flow again after {} s", fault, String.format("%.1f", stalled));
                }
            }
            Thread.sleep(250);
        }
        if (!restored) {
            if (fault == Fault.NETWORK_CUT) {
                net.restore("b" + broker);
            } else {
                startBroker(broker, brokerProcess.size());
            }
        }
        return new FaultResult(fault, broker, Double.isNaN(stalled) ? -1 : stalled, trainerStep(0) - stepsBefore);
    }

    private void startBroker(int id, int generation) throws IOException {
        String name = "broker-" + id + (generation == 0 ? "" : "-" + generation);
        roles.startWith(net.command("b" + id, List.of()), name, brokerCommands.get(id).toArray(String[]::new));
        brokerProcess.put(id, name);
    }

    private void awaitBroker(int id) {
        String name = brokerProcess.get(id);
        roles.await(name + " listens", Duration.ofMinutes(3), () -> roles.log(name).contains("ddpp broker: Kafka KRaft listening"));
    }

    private void role(String host, String name, String... args) throws IOException {
        roles.startWith(net.command(host, List.of()), name, args);
    }

    /** The trainer's latest logged step with at least version {@code minVersion}; -1 before that. */
    private long trainerStep(long minVersion) {
        Matcher m = TRAINER_STEP.matcher(roles.log("trainer"));
        long step = -1;
        while (m.find()) {
            if (Long.parseLong(m.group(2)) >= minVersion) {
                step = Long.parseLong(m.group(1));
            }
        }
        return step;
    }

    private static int activeController(Admin admin) {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot find the active controller: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int busiestLeader(Admin admin, ClusterConnection connection) {
        Map<Integer, Integer> led = new LinkedHashMap<>();
        for (TopicDescription d : describe(admin, connection).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() != null) {
                    led.merge(p.leader().id(), 1, Integer::sum);
                }
            }
        }
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static Map<String, TopicDescription> describe(Admin admin, ClusterConnection connection) {
        try {
            return admin.describeTopics(Set.of(connection.topics().candidates(), connection.topics().rewards()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every partition of the candidate and reward topics has all three replicas in sync. */
    private void awaitFullIsr(Admin admin, ClusterConnection connection) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < until) {
            try {
                if (describe(admin, connection).values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size())) {
                    return;
                }
            } catch (IllegalStateException e) {
                LOG.debug("not yet: {}", e.getMessage());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("replicas did not get back in sync within 3 minutes; logs:\n" + roles.allLogs());
    }

    /** Rewards committed so far: the sum of the reward topic's last stable offsets. */
    private static long committedRewards(Admin admin, ClusterConnection connection) {
        try {
            return org.ddpp.runtime.StableOffsets.sum(admin, connection.topics().rewards(), java.time.Duration.ofSeconds(5));
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            return -1; // not answerable during the fault: no progress seen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

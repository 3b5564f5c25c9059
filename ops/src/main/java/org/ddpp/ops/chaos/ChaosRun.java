package org.ddpp.ops.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.ddpp.ops.RoleProcesses;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault-injection run on the grid loop of separate processes ({@link GridCluster}): waits for the loop to flow,
 * then injects faults ({@link FaultKind}) one at a time, in an order and at moments drawn from the seed, and after
 * each waits until the system has recovered — the topics' invariants hold ({@link TopicLedger},
 * {@link TrainerLedger}), new rewards flow and the trainer reads again, and every poison record has been
 * dead-lettered by each stage that reads it. A role that exits on its own is restarted, as a supervisor would, and
 * reported. At the end the samplers stop, the pipeline drains (bounded), the trainer stops cleanly and its intake
 * is compared with the reward log; {@link #run} returns the report that {@code ddpp chaos} prints as one JSON object.
 */
public final class ChaosRun {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

    private final ChaosSettings settings;
    private final Random random;
    private final Deque<FaultKind> deck = new ArrayDeque<>();
    private final Map<String, Integer> faultsByKind = new TreeMap<>();
    private final List<Map<String, Object>> recoveries = new ArrayList<>();
    private final List<Map<String, Object>> unplannedExits = new ArrayList<>();
    private final java.util.Set<String> retired = new java.util.HashSet<>();
    private GridCluster cluster;
    private RoleProcesses roles;
    private TopicLedger ledger;
    private TrainerLedger trainer;
    private PoisonRecords poison;
    private Admin admin;
    private String trainerGroup;
    private long started;
    private long lastProgressLine;
    private int poisonRecords;
    private int faults;
    private String samplerVictim;
    private HangFault hang;
    private HangFault.Ghost ghost;
    /** The trainer group's committed position when the trainer last (re)started: its new incarnation must pass it. */
    private long trainerRestartedAt = -1;

    private ChaosRun(ChaosSettings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** Runs the whole thing and returns the report; {@code invariant_violations} is 0 when nothing broke. */
    public static Map<String, Object> run(ChaosSettings settings) throws Exception {
        return new ChaosRun(settings).execute();
    }

    private Map<String, Object> execute() throws Exception {
        Path dir = settings.workDir() != null ? Files.createDirectories(settings.workDir())
                : Files.createTempDirectory("ddpp-chaos-");
        started = System.nanoTime();
        LOG.info("chaos: seed {}, {} of faults, work directory {}", settings.seed(), settings.duration(), dir);
        Map<String, Object> report;
        try (GridCluster c = new GridCluster(settings, dir)) {
            cluster = c;
            roles = c.roles();
            try {
                report = inject(dir);
            } finally {
                Admin clients = admin;
                Shutdown.closeAll("chaos run", poison, ledger, clients == null ? null : () -> clients.close(Duration.ofSeconds(5)));
            }
        }
        boolean keep = settings.keepWorkDir() || settings.workDir() != null || (int) report.get("invariant_violations") > 0;
        if (!keep) {
            deleteTree(dir);
        }
        report.put("work_dir", keep ? dir.toString() : null);
        return report;
    }

    private Map<String, Object> inject(Path dir) throws Exception {
        cluster.startInfrastructure();
        ClusterConnection connection = cluster.connection();
        CachedSchemaRegistry registry = connection.cachedRegistry();
        Topics.registerValueSchemas(registry, Topics.all());
        for (TopicSpec<?, ?> t : Topics.all()) {
            if (org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(t.valueType())) {
                // cache every writer schema now, so the ledger decodes while the registry is down
                registry.schemaById(registry.idFor(t.valueSubject(),
                        org.apache.avro.specific.SpecificData.get().getSchema(t.valueType()), false));
            }
        }
        admin = connection.admin("ddpp-chaos");
        hang = new HangFault(connection, admin);
        trainerGroup = connection.topics().trainerGroup(settings.run());
        ledger = new TopicLedger(connection, registry, settings.run());
        trainer = new TrainerLedger(cluster.trainerStateDir(), roles.logFile(GridCluster.TRAINER), trainerGroup,
                connection.topics().rewards(), settings.initialFill(), settings.checkpointEvery(), settings.freshPerStep());
        poison = new PoisonRecords(connection, registry, settings.run(), GridCluster.SCORERS);
        cluster.startScoring();
        trainer.starting(ledger, admin);
        cluster.startTrainer();
        cluster.startSamplers();
        awaitFlowing();
        LOG.info("chaos: the loop flows after {} s; injecting faults", seconds(started));

        long end = started + settings.duration().toNanos();
        long hardEnd = end + settings.duration().toNanos() + Duration.ofMinutes(15).toNanos();
        while ((System.nanoTime() < end || faults < settings.minFaults()) && System.nanoTime() < hardEnd) {
            long gap = settings.faultGapMin().toMillis()
                    + (long) (random.nextDouble() * (settings.faultGapMax().toMillis() - settings.faultGapMin().toMillis()));
            watch(System.nanoTime() + gap * 1_000_000L);
            FaultKind kind = nextFault();
            catchUpQuietly();
            long trainer0 = trainerProgress();
            long t0 = System.nanoTime();
            long wall0 = System.currentTimeMillis();
            samplerVictim = null;
            ghost = null;
            trainerRestartedAt = -1;
            List<PoisonRecords.Injected> injected = injectFault(kind);
            faults++;
            faultsByKind.merge(kind.label(), 1, Integer::sum);
            double took = recover(kind, t0, wall0, trainer0, injected);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", kind.label());
            r.put("seconds", took < 0 ? null : Math.round(took * 10) / 10.0);
            recoveries.add(r);
            LOG.info("chaos: fault {} {} {}", faults, kind.label(),
                    took < 0 ? "NOT recovered within " + settings.recoveryTimeout() : "recovered in " + String.format("%.1f s", took));
        }
        return finish();
    }

    /** Faults come from a shuffled deck of every kind, so each kind is injected about equally often. */
    private FaultKind nextFault() {
        if (deck.isEmpty()) {
            List<FaultKind> all = new ArrayList<>(Arrays.asList(FaultKind.values()));
            Collections.shuffle(all, random);
            deck.addAll(all);
        }
        return deck.poll();
    }

    private List<PoisonRecords.Injected> injectFault(FaultKind kind) throws Exception {
        switch (kind) {
            case KILL_SAMPLER -> {
                samplerVictim = random.nextBoolean() ? GridCluster.SAMPLER_FOLLOWING : GridCluster.SAMPLER_PINNED;
                killAndRestart(samplerVictim);
            }
            case KILL_SCORER -> killAndRestart(GridCluster.scorerRole(GridCluster.SCORERS.get(random.nextInt(GridCluster.SCORERS.size()))));
            case KILL_JOINER -> killAndRestart(GridCluster.JOINER);
            case KILL_TRAINER -> {
                roles.kill(GridCluster.TRAINER);
                trainerCrashed();
                startTrainer();
            }
            case KILL_REGISTRY -> killAndRestart(GridCluster.REGISTRY);
            case KILL_BROKER -> killAndRestart(GridCluster.BROKER);
            case STOP_SCORER -> suspend(GridCluster.scorerRole(GridCluster.SCORERS.get(random.nextInt(GridCluster.SCORERS.size()))));
            case STOP_JOINER -> suspend(GridCluster.JOINER);
            case RESTART_REGISTRY -> stopAndRestart(GridCluster.REGISTRY);
            case RESTART_BROKER -> stopAndRestart(GridCluster.BROKER);
            case RESTART_TRAINER -> {
                if (stopCleanly(GridCluster.TRAINER)) {
                    catchUpUntilReady();
                    trainer.stoppedCleanly(ledger);
                } else {
                    trainerCrashed();
                }
                startTrainer();
            }
            case POISON_CANDIDATES -> {
                return poison(Topics.CANDIDATES);
            }
            case POISON_SCORES -> {
                return poison(Topics.SCORES);
            }
            case POISON_REWARDS -> {
                return poison(Topics.REWARDS);
            }
            case POISON_POLICY -> {
                return poison(Topics.POLICY);
            }
            case POISON_DLQ -> {
                return poison(Topics.DLQ);
            }
            case HANG_SCORES -> ghost = hang.inject(cluster.connection().topics().scores(), random);
            case HANG_REWARDS -> ghost = hang.inject(cluster.connection().topics().rewards(), random);
        }
        return List.of();
    }

    private List<PoisonRecords.Injected> poison(TopicSpec<?, ?> topic) throws Exception {
        List<PoisonRecords.Injected> injected = poison.inject(topic, random);
        injected.forEach(ledger::expect);
        poisonRecords += injected.size();
        return injected;
    }

    private void killAndRestart(String name) throws Exception {
        roles.kill(name);
        restart(name);
    }

    private void stopAndRestart(String name) throws Exception {
        stopCleanly(name);
        restart(name);
    }

    /** SIGTERM and a wait for the exit within the role's shutdown bound; false (and SIGKILL) when it did not stop cleanly. */
    private boolean stopCleanly(String name) throws Exception {
        Process p = roles.stop(name);
        boolean exited = p.waitFor(settings.shutdownTimeout().toSeconds() + 15, TimeUnit.SECONDS);
        if (!exited || p.exitValue() != 0) {
            ledger.violation("unclean-stop", name + (exited ? " exited with " + p.exitValue() : " ignored SIGTERM")
                    + " after SIGTERM:\n" + cluster.tail(name, 15));
            if (!exited) {
                roles.kill(name);
            }
            return false;
        }
        return true;
    }

    private void suspend(String name) throws Exception {
        roles.signal(name, "STOP");
        try {
            Thread.sleep(settings.sessionTimeout().toMillis() + 2000);
        } finally {
            roles.signal(name, "CONT");
        }
    }

    private void restart(String name) throws Exception {
        long from = cluster.logLength(name);
        if (GridCluster.TRAINER.equals(name)) {
            startTrainer();
            return;
        }
        roles.restart(name);
        if (GridCluster.BROKER.equals(name) || GridCluster.REGISTRY.equals(name)) {
            cluster.awaitServing(name, from);
        }
    }

    private void startTrainer() throws Exception {
        catchUpUntilReady();
        trainer.starting(ledger, admin);
        trainerRestartedAt = trainerProgress();
        roles.restart(GridCluster.TRAINER);
    }

    private void trainerCrashed() throws Exception {
        long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
        while (true) {
            try {
                trainer.crashed(admin);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * Waits until the loop has recovered from a fault injected at {@code t0} (wall clock {@code wall0}): the invariants
     * hold, a candidate sampled after the fault has its reward, the trainer's committed position has moved past where
     * it was, and every poison record is dead-lettered by each stage that must. Returns the seconds it took, or -1 (and
     * a violation) when that did not happen within the recovery timeout.
     */
    private double recover(FaultKind kind, long t0, long wall0, long trainer0, List<PoisonRecords.Injected> injected)
            throws Exception {
        long deadline = t0 + settings.recoveryTimeout().toNanos();
        boolean flowing = false;
        boolean reading = false;
        boolean deadLettered = false;
        boolean passed = false;
        while (System.nanoTime() < deadline) {
            supervise();
            try {
                ledger.catchUp();
                ledger.checkVerdicts();
                // a candidate sampled after the fault has been scored by every scorer and joined: the whole loop works
                flowing = ledger.newestRewardedCreatedAt() > wall0
                        && (samplerVictim == null || ledger.newestRewardedCreatedAt(samplerVictim) > wall0);
                // after a trainer restart the old incarnation's last commits do not count: the new one must read on
                reading = trainerProgress() > Math.max(trainer0, trainerRestartedAt);
                deadLettered = injected.stream().allMatch(p -> ledger.stagesOf(p).containsAll(p.expectedStages()));
                // a hanging transaction must be gone from its partition, not only from the partitions around it
                passed = ghost == null || hang.passed(ghost);
                if (flowing && reading && deadLettered && passed) {
                    return seconds(t0);
                }
            } catch (TopicLedger.NotReady e) {
                LOG.debug("chaos: not ready: {}", e.getMessage());
            }
            progressLine();
            Thread.sleep(500);
        }
        StringBuilder missing = new StringBuilder();
        for (PoisonRecords.Injected p : injected) {
            if (!ledger.stagesOf(p).containsAll(p.expectedStages())) {
                missing.append("; ").append(p.what()).append(" at ").append(p.topic()).append('/').append(p.partition())
                        .append('@').append(p.offset()).append(" dead-lettered by ").append(ledger.stagesOf(p))
                        .append(", expected ").append(p.expectedStages());
            }
        }
        ledger.violation("no-recovery", kind.label() + " (fault " + (faults + 1) + "): not recovered within "
                + settings.recoveryTimeout().toSeconds() + " s: rewards of candidates sampled after the fault " + flowing + ", trainer reading " + reading
                + (ghost == null ? "" : ", readers past the hanging transaction at " + ghost.partition() + "@" + ghost.offset() + " " + passed)
                + missing);
        return -1;
    }

    /** Between faults: keeps every role running and the ledger current until {@code untilNanos}. */
    private void watch(long untilNanos) throws Exception {
        do {
            supervise();
            catchUpQuietly();
            progressLine();
            Thread.sleep(Math.max(0, Math.min(500, (untilNanos - System.nanoTime()) / 1_000_000)));
        } while (System.nanoTime() < untilNanos);
    }

    private void awaitFlowing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            supervise();
            catchUpQuietly();
            if (ledger.rewards() > 0 && ledger.versions() > 0 && trainerProgress() > 0) {
                return;
            }
            progressLine();
            Thread.sleep(500);
        }
        throw new IllegalStateException("the grid loop did not start flowing within 5 minutes (logs in "
                + roles.logFile(GridCluster.BROKER).getParent() + "):\n" + cluster.tail(GridCluster.TRAINER, 20));
    }

    /** Restarts every role that exited on its own (a supervisor's job) and reports it. */
    private void supervise() throws Exception {
        List<String> order = new ArrayList<>(List.of(GridCluster.BROKER, GridCluster.REGISTRY));
        order.addAll(cluster.pipelineRoles());
        for (String name : order) {
            Process p = roles.get(name);
            if (p == null || p.isAlive() || retired.contains(name)) {
                continue;
            }
            Map<String, Object> exit = new LinkedHashMap<>();
            exit.put("role", name);
            exit.put("exit_code", p.exitValue());
            exit.put("at_seconds", Math.round(seconds(started)));
            exit.put("log_tail", cluster.tail(name, 5));
            unplannedExits.add(exit);
            LOG.warn("chaos: {} exited on its own with {}; restarting it. Last lines:\n{}", name, p.exitValue(), cluster.tail(name, 10));
            if (GridCluster.TRAINER.equals(name)) {
                trainerCrashed();
            }
            restart(name);
        }
    }

    private Map<String, Object> finish() throws Exception {
        LOG.info("chaos: {} faults injected; stopping the samplers and draining", faults);
        supervise();
        for (String sampler : List.of(GridCluster.SAMPLER_FOLLOWING, GridCluster.SAMPLER_PINNED)) {
            retired.add(sampler);
            stopCleanly(sampler);
        }
        long drainDeadline = System.nanoTime() + settings.joinTimeout().plus(Duration.ofSeconds(90)).toNanos();
        List<String> missing = List.of("?");
        while (System.nanoTime() < drainDeadline) {
            supervise();
            try {
                ledger.catchUp();
                ledger.checkVerdicts();
                missing = ledger.missing();
                if (missing.isEmpty()) {
                    break;
                }
            } catch (TopicLedger.NotReady e) {
                LOG.debug("chaos: not ready: {}", e.getMessage());
            }
            progressLine();
            Thread.sleep(500);
        }
        if (!missing.isEmpty()) {
            ledger.violation("missing-verdict", missing.size() + " candidates have neither a reward nor a joiner dead letter after the drain, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        supervise();
        retired.add(GridCluster.TRAINER);
        if (stopCleanly(GridCluster.TRAINER)) {
            catchUpUntilReady();
            trainer.stoppedCleanly(ledger);
        }
        for (String name : List.of(GridCluster.JOINER, GridCluster.scorerRole(GridCluster.SCORERS.get(0)),
                GridCluster.scorerRole(GridCluster.SCORERS.get(1)), GridCluster.REGISTRY, GridCluster.BROKER)) {
            retired.add(name);
            if (roles.get(name).isAlive()) {
                stopCleanly(name);
            }
        }
        catchUpQuietly();
        List<TopicLedger.Violation> violations = ledger.violations();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("faults_injected", faults);
        report.put("faults_by_kind", faultsByKind);
        report.put("invariant_violations", violations.size());
        report.put("violations", violations.stream().map(v -> Map.of("kind", v.kind(), "detail", v.detail())).toList());
        report.put("recovery_seconds", recoveries);
        List<Double> times = recoveries.stream().map(r -> (Double) r.get("seconds")).filter(java.util.Objects::nonNull)
                .sorted(Comparator.naturalOrder()).toList();
        report.put("recovery_seconds_median", times.isEmpty() ? null : times.get(times.size() / 2));
        report.put("recovery_seconds_max", times.isEmpty() ? null : times.get(times.size() - 1));
        report.put("candidates", ledger.candidates());
        report.put("rewards", ledger.rewards());
        report.put("dead_letters", ledger.joinerDeadLetters());
        report.put("dead_letter_records", ledger.deadLetterRecords());
        report.put("policy_versions", ledger.versions());
        report.put("policy_records", ledger.policyRecords());
        report.put("poison_records", poisonRecords);
        report.put("trainer_incarnations", trainer.incarnations());
        report.put("trainer_reread_max", trainer.rereadMax());
        report.put("trainer_reread_bound", trainer.rereadBound());
        report.put("unplanned_exits", unplannedExits);
        report.put("seed", settings.seed());
        report.put("seconds", Math.round(seconds(started)));
        return report;
    }

    private long trainerProgress() {
        try {
            return TrainerLedger.progress(admin, trainerGroup);
        } catch (Exception e) {
            return -1;
        }
    }

    private void catchUpQuietly() {
        try {
            ledger.catchUp();
            ledger.checkVerdicts();
        } catch (TopicLedger.NotReady e) {
            LOG.debug("chaos: not ready: {}", e.getMessage());
        }
    }

    private void catchUpUntilReady() throws Exception {
        long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
        while (true) {
            try {
                ledger.catchUp();
                ledger.checkVerdicts();
                return;
            } catch (TopicLedger.NotReady e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private void progressLine() {
        if (System.nanoTime() - lastProgressLine < 5_000_000_000L) {
            return;
        }
        lastProgressLine = System.nanoTime();
        LOG.info("chaos: {} s, {} faults, candidates {}, rewards {}, joiner dead letters {}, in flight {}, versions {}, violations {}",
                Math.round(seconds(started)), faults, ledger.candidates(), ledger.rewards(), ledger.joinerDeadLetters(),
                ledger.missing().size(), ledger.versions(), ledger.violations().size());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("chaos: could not delete {}: {}", dir, e.toString());
        }
    }
}

package org.ddpp.trainer.online;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.train.DdppLearner;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer that never stops: consumes scored candidates from {@code ddpp.rewards} into a replay buffer (with a
 * fixed exploration share per batch), runs DDPP-LB steps with the same {@link DdppLearner} as the offline loop,
 * publishes a new policy version every N steps, reports {@code Metrics}, and checkpoints its weights, optimiser
 * state and consumed offsets every M steps.
 *
 * <p>Delivery guarantee: a checkpoint stores, per partition, the next offset the reader had not yet added to the
 * buffer when the checkpoint was taken. After a crash the trainer restores the weights of its last checkpoint and
 * re-reads {@code ddpp.rewards} from those offsets, so no scored candidate is lost; candidates read after the last
 * checkpoint (at most what arrived during {@code checkpointEvery} steps) are added to the buffer a second time,
 * and the steps taken after the checkpoint are redone. Before the checkpointed offsets it re-reads up to one buffer
 * of records to refill the replay buffer; those are counted as replayed, not consumed.
 *
 * <p>Steering: the trainer follows its run's reward configuration ({@code ddpp.reward-config}). When a new version
 * appears it recombines every buffered sample's log reward from its stored per-scorer terms (samples that lack a
 * required term leave the buffer), shifts log Z by how much the Monte-Carlo {@code log E_pre[R]} moved, and trains
 * only log Z for {@code --steer-logz-steps} steps before the policy moves again; every metric record and every
 * policy version carries the configuration version it was trained under.
 */
public final class OnlineTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);
    /** How long a start waits for the run's reward configurations to be read (then it trains under what it knows). */
    static final java.time.Duration STEERING_CATCH_UP = java.time.Duration.ofSeconds(15);
    /**
     * Key of the reward configuration version in the checkpoint manifest's {@code extra} (what log Z was trained
     * under), in every {@code ddpp.metrics} record's labels and in {@code PolicyUpdate.details}.
     */
    static final String REWARD_VERSION_KEY = "reward_config_version";
    /** The {@code reason} of samples dropped because a term of the current configuration is missing. */
    static final String MISSING_TERM = "missing-reward-term";

    /** Callbacks for the demo and tests; called on the training thread. */
    public interface Listener {
        default void onStep(DdppLearner.StepResult result) {}

        default void onPublished(long version, long step, Mdm policy) {}
    }

    private final OnlineTrainerConfig config;
    private final Listener listener;
    private final NDManager root;
    private final Task task;
    private final DdppLearner learner;
    private final MixedReplay replay;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RewardStreamReader reader;
    private final PolicyFileServer server;
    private final PolicyPublisher publisher;
    private final org.ddpp.runtime.MetricsExporter exporter;
    private final org.ddpp.runtime.RewardConfigFollower steering;
    private final DeadLetterPublisher steeringDeadLetters;
    /** The reward configuration version the restored log Z was trained under (0 without a checkpoint). */
    private final long checkpointRewardVersion;
    /** Log-Z-only steps still to run after a change of the reward configuration (training thread only). */
    private volatile int rewarmLeft;
    private volatile PosteriorQuality.Figures quality = PosteriorQuality.Figures.NONE;
    private final MaskSchedule schedule = new MaskSchedule();
    private final SplittableRandom rng;
    /** Drives the quality figures' unmasking orders, apart from {@code rng}, so measuring never changes the batches. */
    private final SplittableRandom qualityRng;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean halted;
    private volatile DdppLearner.StepResult lastStep;
    private final boolean resumed;
    private volatile long version;
    /** Figures the meters read: set on the training thread, never computed on a scrape thread (DJL is not shared). */
    private volatile double logZFullMask = Double.NaN;
    private volatile double stalenessVersions = Double.NaN;
    private volatile BatchStats lastStats;
    private final org.ddpp.runtime.RoleMeters meters;
    private final TrainerState state;
    private double trainSeconds;
    private volatile long firstStepNanos;
    private volatile long stepsThisRun;

    private OnlineTrainer(OnlineTrainerConfig config, Listener listener) throws IOException {
        this.config = config;
        this.listener = listener == null ? new Listener() {} : listener;
        this.root = NDManager.newBaseManager(config.device().resolve());
        Checkpoint pretrained = Checkpoint.open(config.pretrained());
        this.task = pretrained.task();
        Map<Integer, Long> offsets = new HashMap<>();
        java.util.Optional<Checkpoint> latest = Checkpoint.openLatest(config.checkpointDir());
        if (latest.isPresent()) {
            Checkpoint ck = latest.get();
            if (!ck.task().name().equals(task.name())) {
                throw new IllegalArgumentException("checkpoint " + config.checkpointDir() + " is for task " + ck.task().name());
            }
            learner = new DdppLearner(config.ddpp(), ck.loadPolicy(root), ck.loadReference(root), ck.loadLogPartition(root),
                    null, root);
            ck.restoreLearner(learner);
            version = ck.manifest().policyVersion();
            offsets = decodeOffsets(ck.manifest().extra() == null ? null : ck.manifest().extra().get("offsets"));
            String rewardVersion = ck.manifest().extra() == null ? null : ck.manifest().extra().get(REWARD_VERSION_KEY);
            checkpointRewardVersion = rewardVersion == null ? 0L : Long.parseLong(rewardVersion);
            resumed = true;
            LOG.info("trainer {} resumed from {} at step {}, policy version {}, offsets {}", config.run(),
                    ck.directory(), learner.stepCount(), version, offsets);
        } else {
            Mdm reference = pretrained.loadPolicy(root);
            learner = new DdppLearner(config.ddpp(), reference.copy(root), reference,
                    LogPartition.create(task, config.logZShape(), config.get(TrainerSettings.SEED) + 101, root), null, root);
            version = 0;
            checkpointRewardVersion = 0;
            resumed = false;
        }
        this.rng = new SplittableRandom(config.get(TrainerSettings.SEED) + learner.stepCount());
        this.qualityRng = new SplittableRandom(config.get(TrainerSettings.SEED) + 303 + learner.stepCount());
        CachedSchemaRegistry registry = config.connection().cachedRegistry();
        Map<String, Object> props = config.connection().producerProperties("ddpp-trainer-" + config.run());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.replay = new MixedReplay(config.get(TrainerSettings.BUFFER), config.get(TrainerSettings.EXPLORATION_SHARE));
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, new org.ddpp.schemas.serde.AvroSerializer<>(registry, true, false),
                config.connection().topics().dlq());
        this.steeringDeadLetters = new DeadLetterPublisher(producer, new org.ddpp.schemas.serde.AvroSerializer<>(registry, true, false),
                config.connection().topics().dlq());
        this.steering = org.ddpp.runtime.RewardConfigFollower.start("trainer", config.connection(), config.run(), steeringDeadLetters);
        this.reader = new RewardStreamReader(config, task, replay, registry, deadLetters, offsets,
                resumed ? config.get(TrainerSettings.BUFFER) : 0, this::intakeAllowance);
        Files.createDirectories(config.policyDir());
        this.state = new TrainerState(config.stateDir());
        long announced = state.announcedVersion();
        if (announced > version) {
            LOG.warn("trainer {}: versions up to {} were announced after the checkpoint of version {}; continuing at {}",
                    config.run(), announced, version, announced + 1);
            version = announced;
        }
        this.server = new PolicyFileServer(config.policyDir().getParent(), config.get(TrainerSettings.HTTP_HOST),
                state.weightsPort(config.get(TrainerSettings.HTTP_HOST), config.get(TrainerSettings.HTTP_PORT)));
        state.servedOn(server.port());
        this.publisher = new PolicyPublisher(config.run(), config.connection().topics().policy(), config.policyDir(), server, producer,
                Topics.POLICY.keySerde(registry, true).serializer(), Topics.POLICY.valueSerde(registry, true).serializer(),
                config.get(TrainerSettings.KEEP_VERSIONS));
        this.meters = org.ddpp.runtime.RoleMeters.on(config.meterRegistry(), "trainer", config.run(), "trainer-" + config.run());
        meters.counter("steps", learner::stepCount);
        meters.counter("skipped.steps", learner::skippedSteps);
        meters.gauge("loss", () -> lastStep == null ? Double.NaN : lastStep.loss());
        meters.gauge("log.z.batch.mean", () -> lastStep == null ? Double.NaN : lastStep.meanLogZ());
        meters.gauge("log.z.full.mask", () -> logZFullMask);
        meters.gauge("policy.version", () -> version);
        meters.gauge("staleness.versions", () -> stalenessVersions);
        meters.gauge("exploration.share", () -> lastStats == null ? Double.NaN : lastStats.explorationShare());
        meters.gauge("log.r.mean", () -> lastStats == null ? Double.NaN : lastStats.mean());
        for (int q : new int[] {10, 50, 90}) {
            meters.gauge("log.r.q" + q, () -> lastStats == null ? Double.NaN : lastStats.quantile(q / 100.0));
        }
        meters.gauge("buffer.size", replay::size);
        meters.gauge("buffer.policy", replay::policySize);
        meters.gauge("buffer.exploration", replay::explorationSize);
        meters.counter("consumed", reader::consumed);
        meters.gauge("consumer.lag", reader::lag);
        meters.gauge("reward.latency.seconds.p50", () -> reader.latencies().quantile(0.5) / 1e3);
        meters.gauge("reward.latency.seconds.p99", () -> reader.latencies().quantile(0.99) / 1e3);
        meters.deadLetters(reader::deadLettered, RewardStreamReader.STAGE);
        meters.deadLetters(steeringDeadLetters::total, org.ddpp.runtime.RewardConfigFollower.STAGE);
        meters.gauge("reward.config.version", replay::rewardConfigVersion);
        steering.bindTo(meters);
        meters.counter("samples.dropped", replay::droppedMissingTerm, "reason", MISSING_TERM);
        meters.gauge("logz.rewarm.steps", () -> rewarmLeft);
        meters.gauge("posterior.log.z.mc", () -> quality.logMeanRewardPinned());
        meters.gauge("posterior.ess", () -> quality.ess());
        meters.gauge("posterior.ess.fraction", () -> quality.essFraction());
        meters.gauge("posterior.kl.pre", () -> quality.klToPre());
        meters.gauge("posterior.reward.zero.share", () -> quality.rewardZeroSharePolicy(), "source", ScoredSequence.POLICY);
        meters.gauge("posterior.reward.zero.share", () -> quality.rewardZeroSharePinned(), "source", ScoredSequence.PRETRAINED);
        meters.gauge("posterior.samples", () -> quality.policy(), "source", ScoredSequence.POLICY);
        meters.gauge("posterior.samples", () -> quality.pinned(), "source", ScoredSequence.PRETRAINED);
        meters.bind(producer);
        reader.bindMeters(meters);
        this.exporter = org.ddpp.runtime.MetricsExporter.start(meters, config.connection(), config.get(TrainerSettings.METRICS_INTERVAL),
                () -> Map.of("task", task.name(), "group", config.groupId(),
                        REWARD_VERSION_KEY, Long.toString(replay.rewardConfigVersion())));
    }

    /**
     * Loads the pre-trained model (or the trainer's own checkpoint, if there is one), connects to Kafka and starts
     * reading scored candidates; {@link #run()} then trains.
     */
    public static OnlineTrainer create(OnlineTrainerConfig config, Listener listener) throws IOException {
        OnlineTrainer trainer = new OnlineTrainer(config, listener);
        trainer.awaitSteering();
        trainer.reader.start();
        return trainer;
    }

    /**
     * Before the reader starts: reads the run's reward configurations (bounded) and files every sample, the re-read
     * ones too, under the newest; a resumed log Z trained under another version is re-warmed.
     */
    private void awaitSteering() {
        try {
            if (!steering.awaitCaughtUp(STEERING_CATCH_UP)) {
                LOG.warn("trainer {}: {} not read to its end within {} s; training under the configuration known so far",
                        config.run(), config.connection().topics().rewardConfig(), STEERING_CATCH_UP.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steerIfChanged();
        // the buffer is still empty: only a resumed log Z trained under another reward needs re-warming
        rewarmLeft = resumed && replay.rewardConfigVersion() != checkpointRewardVersion
                ? config.get(TrainerSettings.STEER_LOGZ_STEPS) : 0;
    }

    /**
     * On the training thread, before a step: when the follower knows a newer reward configuration than the buffer is
     * combined under, recombines the buffer under it, shifts log Z by the change of the Monte-Carlo log E_pre[R] over
     * the pinned samples, and schedules the log-Z-only steps.
     */
    private void steerIfChanged() {
        java.util.Optional<org.ddpp.schemas.avro.RewardConfig> newest = steering.latest(config.run());
        if (newest.isEmpty() || newest.get().getVersion() == replay.rewardConfigVersion()) {
            return;
        }
        int pinned = config.get(TrainerSettings.QUALITY_PINNED);
        double before = PosteriorQuality.logMeanReward(replay.newestPinned(pinned));
        MixedReplay.Steered steered = replay.steer(newest.get());
        double after = PosteriorQuality.logMeanReward(replay.newestPinned(pinned));
        double shift = Double.isFinite(before) && Double.isFinite(after) && learner.stepCount() > 0 ? after - before : 0.0;
        if (shift != 0.0) {
            learner.logPartition().shiftOutputBias(shift);
        }
        rewarmLeft = learner.stepCount() > 0 ? config.get(TrainerSettings.STEER_LOGZ_STEPS) : 0; // the warm-up covers a first start
        LOG.info("trainer {} steered to reward configuration v{} ({}): {} samples kept, {} dropped (missing a required term); "
                        + "log Z shifted by {}, {} log-Z-only steps next", config.run(), steered.version(),
                org.ddpp.runtime.RewardConfigFollower.describe(newest.get()), steered.kept(), steered.dropped(),
                String.format("%.4f", shift), rewarmLeft);
    }

    /** Trains until {@link #stop()} or {@code maxSteps}; then checkpoints. Blocks the calling thread. */
    public void run() throws IOException {
        LOG.info("trainer {} serving policy weights at http://{}:{}/policies/, reading {} as group {}", config.run(),
                config.get(TrainerSettings.HTTP_HOST), server.port(), config.connection().topics().rewards(), config.groupId());
        long lastReport = System.nanoTime();
        long lastProgress = System.nanoTime();
        long lastQuality = System.nanoTime();
        DdppLearner.StepResult last = null;
        BatchStats stats = null;
        while (running.get() && (config.get(TrainerSettings.MAX_STEPS) == 0 || learner.stepCount() < config.get(TrainerSettings.MAX_STEPS))) {
            Throwable readerFailure = reader.failure();
            if (readerFailure != null) {
                // training on a buffer nobody fills any more would publish versions of a frozen run
                checkpoint();
                throw new IllegalStateException("trainer " + config.run() + " stopped: its reward reader failed: " + readerFailure, readerFailure);
            }
            steerIfChanged();
            if (replay.size() < config.get(TrainerSettings.BATCH_SIZE)) {
                sleep(50);
            } else {
                List<ScoredSequence> items = replay.batch(config.get(TrainerSettings.BATCH_SIZE), rng);
                stats = BatchStats.of(items, version);
                stalenessVersions = stats.staleness();
                lastStats = stats;
                long t0 = System.nanoTime();
                if (firstStepNanos == 0) {
                    firstStepNanos = t0;
                }
                boolean logZOnly = rewarmLeft > 0;
                last = learner.step(learner.batch(stats.x0(), stats.logR(), stats.explore(), schedule, rng), rng, logZOnly);
                if (logZOnly) {
                    rewarmLeft--;
                }
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                stepsThisRun++;
                lastStep = last;
                listener.onStep(last);
                long step = learner.stepCount();
                if (step % config.get(TrainerSettings.PUBLISH_EVERY) == 0) {
                    try {
                        publishNext();
                    } catch (PolicyPublisher.StoppedWhileAnnouncing e) {
                        LOG.warn("trainer {}: {}", config.run(), e.getMessage());
                        break;
                    }
                }
                if (step % config.get(TrainerSettings.CHECKPOINT_EVERY) == 0) {
                    checkpoint();
                }
            }
            long now = System.nanoTime();
            if (now - lastReport >= config.get(TrainerSettings.METRICS_INTERVAL).toNanos()) {
                logZFullMask = learner.logPartition().logZAtFullMask(); // on this thread: DJL models are not shared
                lastReport = now;
            }
            long qualityEvery = config.get(TrainerSettings.QUALITY_INTERVAL).toNanos();
            if (qualityEvery > 0 && now - lastQuality >= qualityEvery && replay.size() > 0) {
                measureQuality();
                lastQuality = System.nanoTime();
            }
            if (now - lastProgress >= 5_000_000_000L) {
                lastProgress = now;
                LOG.info("trainer {} step {} version {} loss {} buffer {}/{} consumed {} lag {}", config.run(),
                        learner.stepCount(), version, last == null ? "-" : String.format("%.4f", last.loss()),
                        replay.policySize(), replay.explorationSize(), reader.consumed(), reader.lag());
            }
        }
        if (halted) {
            LOG.warn("trainer {} halted at step {} without a final checkpoint", config.run(), learner.stepCount());
            return;
        }
        // The reader stops first, so the final checkpoint's offsets cover exactly the candidates counted as consumed.
        reader.close();
        checkpoint();
        LOG.info("trainer {} stopped at step {} (policy version {}, {} candidates consumed, {} dead letters)",
                config.run(), learner.stepCount(), version, reader.consumed(), reader.deadLettered());
    }

    /**
     * New candidates the trainer may have consumed by now: the initial fill plus a fixed number per step, plus every
     * sample a reward configuration dropped for a missing term (replaced by fresh ones, so a buffer emptied by a
     * change fills again instead of waiting for steps that cannot run).
     */
    private long intakeAllowance() {
        return config.get(TrainerSettings.FRESH_PER_STEP) == 0 ? Long.MAX_VALUE
                : config.get(TrainerSettings.INITIAL_FILL) + (long) config.get(TrainerSettings.FRESH_PER_STEP) * stepsThisRun
                        + replay.droppedMissingTerm();
    }

    /** The posterior-quality figures, on the training thread (the models are not shared). */
    private void measureQuality() {
        logZFullMask = learner.logPartition().logZAtFullMask(); // the learned figure beside the Monte-Carlo one
        quality = PosteriorQuality.measure(learner.policy(), learner.reference(),
                replay.newestPinned(config.get(TrainerSettings.QUALITY_PINNED)),
                replay.newestPolicy(config.get(TrainerSettings.QUALITY_SAMPLES)), qualityRng);
        PosteriorQuality.Figures q = quality;
        LOG.info("trainer {} quality: log Z {} vs log mean R {} over {} pinned; ESS {} of {} policy samples, KL(q||p_pre) {}, "
                + "reward-zero share {} (policy) {} (pinned)", config.run(), fmt(logZFullMask), fmt(q.logMeanRewardPinned()),
                q.pinned(), fmt(q.ess()), q.policy(), fmt(q.klToPre()), fmt(q.rewardZeroSharePolicy()), fmt(q.rewardZeroSharePinned()));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private void publishNext() throws IOException {
        long next = version + 1;
        state.announcing(next); // durable before anyone can see the number
        publisher.publish(learner.policy(), next, learner.stepCount(), running::get,
                Map.of(REWARD_VERSION_KEY, Long.toString(replay.rewardConfigVersion())));
        version = next;
        listener.onPublished(next, learner.stepCount(), learner.policy());
    }

    /** Writes the checkpoint: weights, optimiser state, step, version and the reader's offsets. */
    public synchronized void checkpoint() throws IOException {
        Map<Integer, Long> offsets = reader.nextOffsets();
        Checkpoint.writer(config.checkpointDir(), task)
                .setPolicy(learner.policy())
                .optReference(learner.reference())
                .optLogPartition(learner.logPartition())
                .optLearner(learner)
                .optStep(learner.stepCount())
                .optPolicyVersion(version)
                .optExtra("run", config.run())
                .optExtra("offsets", encodeOffsets(offsets))
                .optExtra(REWARD_VERSION_KEY, Long.toString(replay.rewardConfigVersion()))
                .write();
    }

    /** Stops the training loop (thread-safe); {@link #run()} returns after a final checkpoint. */
    public void stop() {
        running.set(false);
    }

    public long stepCount() {
        return learner.stepCount();
    }

    /** The most recent step's result, or null before the first step. */
    public DdppLearner.StepResult lastStep() {
        return lastStep;
    }

    public long policyVersion() {
        return version;
    }

    /** Scored candidates consumed (first reading only). */
    public long consumed() {
        return reader.consumed();
    }

    public Map<Integer, Long> nextOffsets() {
        return reader.nextOffsets();
    }

    /** Candidate latency from creation to consumption by this trainer. */
    public LatencyWindow latencies() {
        return reader.latencies();
    }

    /** The part of {@link #latencies()} until the joiner combined the scores. */
    public LatencyWindow latenciesToJoined() {
        return reader.latenciesToJoined();
    }

    /** The part of {@link #latencies()} after the join (the joiner's commit, the wait for the trainer, the read). */
    public LatencyWindow latenciesFromJoined() {
        return reader.latenciesFromJoined();
    }

    /** Scored candidates this trainer dead-lettered. */
    public long deadLettered() {
        return reader.deadLettered();
    }

    /**
     * Stops at once, without the final checkpoint, and releases everything: what a crash leaves behind (used by
     * fault tests; a restarted trainer resumes from the last periodic checkpoint).
     */
    public void halt() {
        halted = true;
        running.set(false);
    }

    public boolean resumed() {
        return resumed;
    }

    /** The reward configuration version the buffered rewards are combined under (0: never steered). */
    public long rewardConfigVersion() {
        return replay.rewardConfigVersion();
    }

    /** Log-Z-only steps still to run after a change of the reward configuration. */
    int rewarmStepsLeft() {
        return rewarmLeft;
    }

    /** The latest posterior-quality figures ({@code --quality-interval}). */
    PosteriorQuality.Figures quality() {
        return quality;
    }

    /** The buffered on-policy samples, then the pinned ones (source {@code pretrained}), oldest first: for tests. */
    java.util.List<ScoredSequence> bufferedSamples() {
        java.util.List<ScoredSequence> out = new java.util.ArrayList<>(replay.newestPolicy(Integer.MAX_VALUE));
        out.addAll(replay.newestPinned(Integer.MAX_VALUE));
        return out;
    }

    /** DDPP steps per second of training time (batch assembly and the step itself, not waiting for data). */
    public double trainingStepsPerSecond() {
        return stepsThisRun / Math.max(trainSeconds, 1e-9);
    }

    /**
     * Steps per second of wall-clock time since this run's first step: includes publishing, checkpoints, metrics
     * and any wait for data, i.e. what the trainer really sustains.
     */
    public double wallStepsPerSecond() {
        long first = firstStepNanos;
        return first == 0 ? 0.0 : stepsThisRun / Math.max((System.nanoTime() - first) / 1e9, 1e-9);
    }

    /** The learner: policy, frozen reference and log-Z network. */
    public DdppLearner learner() {
        return learner;
    }

    public int weightsPort() {
        return server.port();
    }

    @Override
    public void close() {
        running.set(false);
        // every Kafka client may wait for a broker that is gone (a final metrics record, unacknowledged announcements,
        // the reader's last commit): close them side by side under one deadline, so a stop takes the longest of
        // them, not their sum, and stays well inside the role's shutdown bound
        List<Thread> closing = List.of(closer("metrics", exporter::close), closer("reward-config", steering::close),
                closer("reader", reader::close), closer("producer", () -> producer.close(java.time.Duration.ofSeconds(5))));
        server.close();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(12).toNanos();
        for (Thread t : closing) {
            org.ddpp.runtime.Shutdown.await(t, java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        meters.close();
        learner.close();
        root.close();
    }

    private static Thread closer(String what, Runnable close) {
        Thread t = new Thread(close, "ddpp-trainer-close-" + what);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String encodeOffsets(Map<Integer, Long> offsets) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(offsets).forEach((p, o) -> sb.append(sb.length() == 0 ? "" : ",").append(p).append(':').append(o));
        return sb.toString();
    }

    /** The reader offsets a checkpoint stores in its manifest's {@code extra.offsets} (partition → next offset). */
    public static Map<Integer, Long> decodeOffsets(String text) {
        Map<Integer, Long> out = new HashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.split(":");
            out.put(Integer.parseInt(kv[0].trim()), Long.parseLong(kv[1].trim()));
        }
        return out;
    }

    /** Figures of one batch for the metrics. */
    record BatchStats(int[][] x0, double[] logR, boolean[] explore, double staleness, double explorationShare) {

        static BatchStats of(List<ScoredSequence> items, long version) {
            int[][] x0 = new int[items.size()][];
            double[] logR = new double[items.size()];
            boolean[] explore = new boolean[items.size()];
            double stale = 0;
            int exploration = 0;
            for (int i = 0; i < x0.length; i++) {
                ScoredSequence s = items.get(i);
                x0[i] = s.tokens();
                logR[i] = s.logReward();
                if (ScoredSequence.POLICY.equals(s.source())) {
                    stale += version - s.policyVersion();
                } else {
                    explore[i] = true;
                    exploration++;
                }
            }
            int onPolicy = x0.length - exploration;
            return new BatchStats(x0, logR, explore, onPolicy == 0 ? 0 : stale / onPolicy, (double) exploration / x0.length);
        }

        double mean() {
            return Arrays.stream(logR).average().orElse(Double.NaN);
        }

        double quantile(double q) {
            double[] sorted = logR.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        }
    }
}

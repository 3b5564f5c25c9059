package org.ddpp.producers;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.task.Task;
import org.ddpp.runtime.MetricsExporter;
import org.ddpp.runtime.RoleMeters;
import org.ddpp.runtime.RewardConfigFollower;
import org.ddpp.runtime.Shutdown;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.runtime.UnreachableAtStartException;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sampler of a run: starts from the run's pre-trained checkpoint as policy version 0, follows new policy
 * versions (unless pinned or replaying), samples batches with the cached ancestral sampler and publishes them as
 * {@link Candidate}s, holding back while the trainer has too much outstanding work and never publishing a batch
 * more than the staleness bound behind the newest announced version. One sampling thread (plus one policy
 * follower thread when following); no static state, so several samplers can share a process. Start with
 * {@link #start}, stop with {@link #close()}.
 */
public final class SamplerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SamplerService.class);

    private final SamplerConfig config;
    private final Task task;
    private final SamplerMeters metrics;
    private final NDManager root;
    private final LivePolicy live;
    private final Producer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<Candidate> candidates;
    private final CandidateFactory factory;
    private final FlowGate gate;
    private final Backlog backlog;
    private final PolicyRejections rejections;
    private final PolicyFollower follower;
    private final MetricsExporter exporter;
    private final AncestralSampler sampler;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread samplerThread;
    private final Thread followerThread;
    /** The run's reward configurations: each candidate carries the newest version known when it was made. */
    private final RewardConfigFollower steering;
    private final RoleMeters meters;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private SamplerService(SamplerConfig config, Checkpoint pretrained, NDManager root) throws IOException {
        this.config = config;
        this.task = pretrained.task();
        this.root = root;
        this.live = config.source() == CandidateSource.REPLAY ? null
                : new LivePolicy(pretrained.loadPolicy(root), 0L, root);
        this.meters = RoleMeters.on(config.meterRegistry(), "sampler", config.run(), config.samplerId(),
                "source", config.source().name().toLowerCase(java.util.Locale.ROOT), "sampler", config.samplerId());
        this.metrics = new SamplerMeters(meters);
        CachedSchemaRegistry registry = config.connection().cachedRegistry();
        this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.keys = Topics.CANDIDATES.keySerde(registry, true).serializer();
        this.candidates = Topics.CANDIDATES.valueSerde(registry, true).serializer();
        this.factory = new CandidateFactory(task, config.run(), config.samplerId(), config.source());
        if (config.get(SamplerSettings.MAX_OUTSTANDING) > 0) {
            org.ddpp.runtime.TopicNames t = config.topics();
            SettledCounter counter = new SettledCounter(
                    new KafkaConsumer<>(counterProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    t.rewards(), t.dlq(), t.candidates(), Topics.DLQ.valueSerde(registry, true).deserializer());
            this.backlog = new TrainerBacklog(Admin.create(adminProperties(config)), counter,
                    "ddpp-backlog-" + config.samplerId(), t.candidates(), t.rewards(), config.trainerGroupId(),
                    Duration.ofSeconds(5));
        } else {
            this.backlog = java.util.Optional::empty;
        }
        long maxOutstanding = config.get(SamplerSettings.MAX_OUTSTANDING);
        this.gate = new FlowGate(backlog, new LatencyBound(maxOutstanding, config.get(SamplerSettings.TARGET_LATENCY)), config.get(SamplerSettings.FLOW_REFRESH).toNanos(), System::nanoTime);
        meters.gauge("outstanding.bound", gate::bound); // the bound flow control holds the outstanding count under
        meters.gauge("trainer.intake.rate", gate::intakeRate);
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, new AvroSerializer<>(registry, true, false),
                config.topics().dlq());
        this.rejections = new PolicyRejections(deadLetters, metrics, config.samplerId());
        this.steering = RewardConfigFollower.start("sampler-" + config.samplerId(), config.connection(), config.run(), deadLetters);
        if (config.follows()) {
            this.follower = new PolicyFollower(config.run(), config.topics().policy(),
                    new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    Topics.POLICY.valueSerde(registry, true).deserializer(),
                    new PolicyFetcher(config.downloadDir(), config.get(SamplerSettings.FETCH_CONNECT_TIMEOUT), config.get(SamplerSettings.FETCH_TIMEOUT),
                            config.get(SamplerSettings.ALLOW_FILE_WEIGHTS), config.get(SamplerSettings.MAX_WEIGHTS_SIZE)),
                    rejections, metrics, live::version);
            this.followerThread = new Thread(follower, "ddpp-policy-" + config.samplerId());
            this.followerThread.setDaemon(true);
        } else {
            this.follower = null;
            this.followerThread = null;
        }
        this.sampler = new AncestralSampler(config.get(SamplerSettings.SAMPLER_STEPS), true, true, new MaskSchedule());
        meters.bind(producer);
        Map<String, String> labels = Map.of("task", task.name(), "sampling", sampler.describe(),
                "trainer_group", config.trainerGroupId());
        this.exporter = MetricsExporter.start(meters, config.connection(), config.get(SamplerSettings.METRICS_INTERVAL),
                () -> labels);
        this.samplerThread = new Thread(this::loop, "ddpp-sampler-" + config.samplerId());
        this.samplerThread.setDaemon(true);
    }

    /**
     * Loads the pre-trained checkpoint, connects to Kafka and starts sampling. Throws {@link IOException} when the
     * checkpoint cannot be opened (missing, corrupt), {@link UnreachableAtStartException} when Kafka or the schema
     * registry cannot be reached within the start-up timeout (or the registry refuses the candidate schema).
     */
    public static SamplerService start(SamplerConfig config) throws IOException {
        Checkpoint pretrained = Checkpoint.open(config.pretrained());
        ai.djl.Device device = config.device().resolve(); // one line and exit 2 for a device that is not there
        checkReachable(config);
        NDManager root = NDManager.newBaseManager(device);
        SamplerService service;
        try {
            service = new SamplerService(config, pretrained, root);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
        LOG.info("sampler {} started: run {}, task {}, source {}, batch {}, {}, seed {}, max outstanding {} (trainer group {}), "
                        + "max stale versions {}", config.samplerId(), config.run(), service.task.name(), config.source(),
                config.get(SamplerSettings.BATCH_SIZE), service.sampler.describe(), config.seed(),
                config.get(SamplerSettings.MAX_OUTSTANDING) == 0 ? "off" : config.get(SamplerSettings.MAX_OUTSTANDING), config.trainerGroupId(),
                config.get(SamplerSettings.MAX_STALE_VERSIONS));
        if (service.followerThread != null) {
            service.followerThread.start();
        }
        service.samplerThread.start();
        return service;
    }

    /**
     * Fails fast, with one readable {@link UnreachableAtStartException}, when Kafka or the schema registry is not there
     * within the start-up timeout ({@link #start} calls it; a command may call it before preparing topics).
     */
    public static void checkReachable(SamplerConfig config) {
        StartupCheck.require(config.connection(), config.get(SamplerSettings.STARTUP_TIMEOUT));
        try {
            config.connection().registryClient().register(AvroSerializer.subject(config.topics().candidates(), false),
                    Candidate.getClassSchema().toString());
        } catch (RuntimeException e) {
            throw new UnreachableAtStartException("schema registry at " + config.connection().registryUrl()
                    + " does not accept the Candidate schema: " + e.getMessage(), e);
        }
    }

    public SamplerConfig config() {
        return config;
    }

    /** Candidates handed to the producer (and acknowledged) so far. */
    public long published() {
        return metrics.published.get();
    }

    /** True while flow control holds the sampler back. */
    public boolean paused() {
        return metrics.paused;
    }

    /** This sampler's meters ({@code ddpp.sampler.*}), as Prometheus and {@code ddpp.metrics} see them. */
    public RoleMeters meters() {
        return meters;
    }

    /** The policy version candidates are drawn from now (0 for pinned and replay samplers). */
    public long policyVersion() {
        return live == null ? 0 : live.version();
    }

    /** Waits until the sampling thread has ended (after {@code maxCandidates}, or after {@link #close()}). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The error that ended the sampling thread, or null. */
    public Throwable failure() {
        return failure;
    }

    private void loop() {
        SplittableRandom seeds = new SplittableRandom(config.seed());
        long lastTick = System.nanoTime();
        long lastProgress = lastTick;
        long lastErrorLog = 0;
        try {
            while (running && (config.get(SamplerSettings.MAX_CANDIDATES) == 0 || metrics.published.get() < config.get(SamplerSettings.MAX_CANDIDATES))) {
                long now = System.nanoTime();
                if (metrics.paused) {
                    metrics.pausedSeconds.increment((now - lastTick) / 1e9);
                }
                lastTick = now;
                if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                    lastProgress = now;
                    logProgress();
                }
                try {
                    if (!steering.caughtUp()) {
                        Thread.sleep(20); // a candidate must carry the newest reward configuration of its run
                        continue;
                    }
                    if (follower != null) {
                        installReady();
                        if (!follower.caughtUp() || staleness(live.version()) > config.get(SamplerSettings.MAX_STALE_VERSIONS)) {
                            Thread.sleep(20); // swap first: wait for the newer version to be fetched and verified
                            continue;
                        }
                    }
                    boolean allowed = gate.mayPublish(metrics.published.get());
                    if (gate.bound() > 0) {
                        metrics.outstanding.set(gate.outstanding(metrics.published.get()));
                    }
                    if (!allowed) {
                        if (!metrics.paused) {
                            if (gate.measured()) {
                                LOG.debug("sampler {}: pausing, {} candidates outstanding (bound {})", config.samplerId(),
                                        metrics.outstanding.get(), gate.bound());
                            } else {
                                LOG.info("sampler {}: waiting for the first measurement of outstanding candidates",
                                        config.samplerId());
                            }
                        }
                        metrics.paused = true;
                        Thread.sleep(Math.min(config.get(SamplerSettings.FLOW_REFRESH).toMillis(), 100));
                        continue;
                    }
                    if (metrics.paused) {
                        LOG.debug("sampler {}: resuming, {} candidates outstanding", config.samplerId(), metrics.outstanding.get());
                        metrics.paused = false;
                    }
                    sampleAndPublish(seeds.nextLong());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    metrics.errors.increment();
                    if (System.nanoTime() - lastErrorLog > 10_000_000_000L || lastErrorLog == 0) {
                        lastErrorLog = System.nanoTime();
                        LOG.error("sampler {}: batch failed (retrying in 1 s): {}", config.samplerId(), e.toString(), e);
                    }
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("sampler {} stopped: {}", config.samplerId(), t.toString(), t);
        } finally {
            metrics.paused = false;
            try {
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("sampler {}: final flush failed: {}", config.samplerId(), e.toString());
            }
            stopped.countDown();
        }
    }

    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private void logProgress() {
        LOG.info("sampler {}: version {} (announced {}), {} candidates, outstanding {} of bound {} (trainer intake {}/s){}, swaps {}, "
                        + "rejected policy versions {}, stale batches dropped {}", config.samplerId(), metrics.policyVersion.get(),
                metrics.announcedVersion.get(), metrics.published.get(), metrics.outstanding.get(), gate.bound(),
                Double.isNaN(gate.intakeRate()) ? "?" : Long.toString(Math.round(gate.intakeRate())), metrics.paused ? " (paused)" : "",
                (long) metrics.swaps.count(), (long) metrics.rejectedPolicies.count(), (long) metrics.staleBatchesDropped.count());
    }

    /** How many versions the newest announced, not rejected version is ahead of {@code version}. */
    private long staleness(long version) {
        return Math.max(live.version(), follower.pendingVersion()) - version;
    }

    /** Loads verified weights when the follower has some; a load failure keeps the current version. */
    private void installReady() {
        VerifiedWeights w = follower.takeReady();
        if (w == null) {
            return;
        }
        try {
            if (w.version() > live.version()) {
                long from = live.version();
                live.install(w.version(), w.file());
                metrics.swaps.increment();
                metrics.policyVersion.set(w.version());
                LOG.info("sampler {}: now sampling policy version {} (step {}), was {}", config.samplerId(),
                        w.version(), w.step(), from);
            }
        } catch (PolicyFetchException e) {
            rejections.reject(w.raw(), w.version(), e.getMessage(), e.getCause());
        } finally {
            w.discard();
        }
    }

    private void sampleAndPublish(long seed) {
        int n = config.get(SamplerSettings.BATCH_SIZE);
        if (config.get(SamplerSettings.MAX_CANDIDATES) > 0) {
            n = (int) Math.min(n, config.get(SamplerSettings.MAX_CANDIDATES) - metrics.published.get());
        }
        long version = live == null ? 0 : live.version();
        int[][] tokens = live == null
                ? task.samplePrior(n, new SplittableRandom(seed))
                : sampler.sample(live.model(), n, new SplittableRandom(seed));
        if (follower != null && staleness(version) > config.get(SamplerSettings.MAX_STALE_VERSIONS)) {
            metrics.staleBatchesDropped.increment();
            return; // the policy moved on while sampling; swap first, then sample again
        }
        // the newest configuration known when the batch is done: the joiner joins it under that version
        List<Candidate> batch = factory.batch(tokens, version, seed, Instant.now(), steering.latestVersion(config.run()));
        String topic = config.topics().candidates();
        for (Candidate c : batch) {
            byte[] key = keys.serialize(topic, c.getId());
            byte[] value = candidates.serialize(topic, c);
            producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                if (e != null) {
                    metrics.publishErrors.increment();
                    LOG.warn("sampler {}: candidate {} not published: {}", config.samplerId(), c.getId(), e.toString());
                }
            });
        }
        producer.flush(); // acknowledged before the next outstanding measurement counts them
        metrics.published.addAndGet(batch.size());
        metrics.batches.increment();
    }

    /**
     * Stops sampling and following, flushes what was published, closes the clients and frees the models.
     * Idempotent; safe to call from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        if (follower != null) {
            follower.stop();
        }
        boolean samplerEnded = join(samplerThread);
        if (followerThread != null) {
            join(followerThread);
        }
        steering.close();
        try {
            exporter.close();
            producer.close(Duration.ofSeconds(10));
        } finally {
            meters.close();
            backlog.close();
            if (samplerEnded) {
                if (live != null) {
                    live.close();
                }
                root.close();
            } else {
                LOG.warn("sampler {}: sampling thread did not stop within 30 s; leaving its model open", config.samplerId());
            }
        }
        LOG.info("sampler {} stopped: {} candidates published, policy version {}", config.samplerId(),
                metrics.published.get(), policyVersion());
    }

    private static boolean join(Thread thread) {
        return Shutdown.await(thread, Duration.ofSeconds(30));
    }

    private static Map<String, Object> producerProperties(SamplerConfig config) {
        Map<String, Object> p = config.connection().producerProperties("ddpp-sampler-" + config.samplerId());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private static Map<String, Object> consumerProperties(SamplerConfig config) {
        Map<String, Object> p = config.connection().consumerProperties("ddpp-sampler-" + config.samplerId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // the policy topic is read without a group
        return p;
    }

    private static Map<String, Object> counterProperties(SamplerConfig config) {
        Map<String, Object> p = consumerProperties(config);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "ddpp-sampler-counter-" + config.samplerId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }

    private static Map<String, Object> adminProperties(SamplerConfig config) {
        return config.connection().adminProperties("ddpp-sampler-admin-" + config.samplerId());
    }
}

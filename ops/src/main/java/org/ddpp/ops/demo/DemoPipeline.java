package org.ddpp.ops.demo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.registry.RegistryServer;
import org.ddpp.ops.stack.EmbeddedStack;
import org.ddpp.producers.SamplerConfig;
import org.ddpp.producers.SamplerService;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.metrics.MetricsSender;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import org.ddpp.trainer.online.OnlineTrainer;
import org.ddpp.trainer.online.OnlineTrainerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole online loop in one process: (embedded or external) Kafka and registry, samplers (following and
 * pinned), one scorer service per required scorer, the reward joiner and the online trainer, plus the exact grid
 * evaluation of every published policy version. Roles can be stopped, crashed and restarted one by one, which the
 * fault tests use; {@code ddpp demo} and {@code ddpp bench pipeline} drive it too.
 */
public final class DemoPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);

    /** One exact evaluation: trainer step, policy version, TV to the target, seconds since start. */
    public record TvPoint(long step, long version, double tv, double seconds) {}

    private final DemoSettings settings;
    private final EmbeddedStack stack;
    private final RegistryServer ownRegistry;
    private final String bootstrap;
    private final String registryUrl;
    private final CachedSchemaRegistry registry;
    private final Path pretrained;
    private final double[] target;
    private final double tvStart;
    private final KafkaProducer<byte[], byte[]> metricsProducer;
    private final MetricsSender demoMetrics;
    private final List<SamplerService> samplers = new ArrayList<>();
    private final Map<String, List<ScorerService>> scorers = new LinkedHashMap<>();
    private final List<TvPoint> curve = new CopyOnWriteArrayList<>();
    private final AtomicReference<GridPictureSink> pictures = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    private RewardJoiner joiner;
    private OnlineTrainer trainer;
    private Thread trainerThread;
    private int scorerInstances;

    private DemoPipeline(DemoSettings settings) throws IOException {
        this.settings = settings;
        if (settings.bootstrapServers() == null) {
            stack = EmbeddedStack.builder().setDataDir(settings.workDir().resolve("kafka")).start();
            ownRegistry = null;
            bootstrap = stack.bootstrapServers();
            registryUrl = stack.registryUrl();
        } else {
            stack = null;
            bootstrap = settings.bootstrapServers();
            if (settings.schemaRegistryUrl() == null) {
                ownRegistry = RegistryServer.builder().setBootstrapServers(bootstrap).start();
                registryUrl = ownRegistry.url();
            } else {
                ownRegistry = null;
                registryUrl = settings.schemaRegistryUrl();
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.create(admin, Topics.all(), (short) 1);
        }
        this.registry = new CachedSchemaRegistry(SchemaRegistryClient.of(registryUrl));
        GridTask task = new GridTask();
        this.pretrained = new PretrainedCache(settings.cacheDir()).ensure(task, settings.pretrain());
        try (NDManager root = NDManager.newBaseManager();
                Mdm reference = Checkpoint.open(pretrained).loadPolicy(root)) {
            double[] pPre = GridEvaluation.exact(reference);
            int v = task.vocabSize();
            int[][] all = new int[v * v][];
            for (int a = 0; a < v; a++) {
                for (int b = 0; b < v; b++) {
                    all[a * v + b] = new int[] {a, b};
                }
            }
            this.target = Distributions.tilt(pPre, ExactRewards.of(settings.composition()).logReward(all));
            this.tvStart = Distributions.totalVariation(pPre, target);
        }
        this.metricsProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.demoMetrics = new MetricsSender(metricsProducer, Topics.METRICS.valueSerde(registry, true).serializer(),
                Topics.METRICS.name(), "demo", "demo-" + settings.run(), settings.run(), Map.of("task", "grid"));
        curve.add(new TvPoint(0, 0, tvStart, 0));
        report(0, 0, tvStart);
    }

    /** Starts the stack (or connects to the given cluster), creates the topics and pre-trains or loads the model. */
    public static DemoPipeline create(DemoSettings settings) throws IOException {
        return new DemoPipeline(settings);
    }

    /** Starts every role: scorers and joiner first, then the trainer, then the samplers. */
    public DemoPipeline startAll() throws IOException {
        for (String name : settings.composition().names()) {
            startScorer(name);
        }
        startJoiner();
        startTrainer();
        for (int i = 0; i < settings.pinnedSamplers(); i++) {
            startSampler(true, i);
        }
        for (int i = 0; i < settings.followingSamplers(); i++) {
            startSampler(false, i);
        }
        return this;
    }

    /** Starts one more instance of scorer {@code name} (instances share the load through their consumer group). */
    public ScorerService startScorer(String name) {
        ScorerService s = ScorerService.start(ScorerServiceConfig.builder()
                .setBootstrapServers(bootstrap).setSchemaRegistryUrl(registryUrl).setScorer(name)
                .optInstanceId(name + "-" + (scorerInstances++)).optMetricsInterval(settings.metricsInterval()).build());
        scorers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(s);
        return s;
    }

    /** Stops (closes) the newest instance of scorer {@code name}. */
    public void stopScorer(String name) {
        List<ScorerService> list = scorers.get(name);
        if (list != null && !list.isEmpty()) {
            list.remove(list.size() - 1).close();
        }
    }

    public void startJoiner() {
        joiner = RewardJoiner.start(JoinerConfig.builder().setBootstrapServers(bootstrap).setSchemaRegistryUrl(registryUrl)
                .optApplicationId("ddpp-joiner-" + settings.run())
                .optComposition(settings.composition()).optJoinTimeout(settings.joinTimeout())
                .optStateDir(settings.workDir().resolve("joiner-state"))
                .optMetricsInterval(settings.metricsInterval()).build());
    }

    public SamplerService startSampler(boolean pinned, int index) throws IOException {
        SamplerService s = SamplerService.start(SamplerConfig.builder()
                .setRun(settings.run()).setBootstrapServers(bootstrap).setSchemaRegistryUrl(registryUrl)
                .setPretrained(pretrained)
                .optSamplerId((pinned ? "pinned-" : "policy-") + index)
                .optPinned(pinned)
                .optSource(pinned ? CandidateSource.PRETRAINED : CandidateSource.POLICY)
                .optSeed(1000L * (pinned ? 1 : 2) + index + System.nanoTime() % 1000)
                .optMaxOutstanding(settings.maxOutstanding())
                .optTrainerGroupId(OnlineTrainerConfig.defaultGroupId(settings.run()))
                .optMetricsInterval(settings.metricsInterval())
                .build());
        samplers.add(s);
        return s;
    }

    /** Starts the trainer on its own thread (resuming from its checkpoint when one exists). */
    public synchronized void startTrainer() throws IOException {
        OnlineTrainerConfig config = OnlineTrainerConfig.builder()
                .setRun(settings.run()).setBootstrapServers(bootstrap).setSchemaRegistryUrl(registryUrl)
                .setPretrained(pretrained).setStateDir(settings.workDir().resolve("trainer"))
                .optPublishEvery(settings.publishEvery()).optCheckpointEvery(settings.checkpointEvery())
                .optFreshPerStep(settings.freshPerStep())
                .optMetricsInterval(settings.metricsInterval()).build();
        OnlineTrainer t = OnlineTrainer.create(config, new OnlineTrainer.Listener() {
            @Override
            public void onPublished(long version, long step, Mdm policy) {
                evaluate(version, step, policy);
            }
        });
        trainer = t;
        trainerThread = new Thread(() -> {
            try {
                t.run();
            } catch (IOException | RuntimeException e) {
                LOG.error("trainer failed: {}", e.toString(), e);
            }
        }, "trainer-" + settings.run());
        trainerThread.start();
    }

    /** Stops the trainer gracefully (final checkpoint) and waits for it. */
    public synchronized void stopTrainer() throws InterruptedException {
        if (trainer != null) {
            trainer.stop();
            trainerThread.join();
            trainer.close();
            trainer = null;
        }
    }

    /** Crashes the trainer: no final checkpoint (a restart resumes from the last periodic one). */
    public synchronized void crashTrainer() throws InterruptedException {
        if (trainer != null) {
            trainer.halt();
            trainerThread.join();
            trainer.close();
            trainer = null;
        }
    }

    private void evaluate(long version, long step, Mdm policy) {
        double[] q = GridEvaluation.exact(policy);
        double tv = Distributions.totalVariation(q, target);
        curve.add(new TvPoint(step, version, tv, seconds()));
        report(step, version, tv);
        GridPictureSink sink = pictures.get();
        if (sink != null) {
            sink.show(version, q, target);
        }
    }

    private void report(long step, long version, double tv) {
        demoMetrics.send(Map.of("tv_policy_to_target", tv, "policy_version", (double) version, "step", (double) step));
    }

    /** Stops the samplers (no new candidates) and waits until every published candidate is scored or dead-lettered. */
    public RunAccounting.Report drain(Duration timeout) throws InterruptedException {
        for (SamplerService s : samplers) {
            s.close();
        }
        samplers.clear();
        RunAccounting accounting = new RunAccounting(bootstrap, registry);
        long deadline = System.nanoTime() + timeout.toNanos();
        RunAccounting.Report report = accounting.of(settings.run());
        while (report.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            report = accounting.of(settings.run());
        }
        return report;
    }

    /** The accounting of the run as the topics hold it now. */
    public RunAccounting.Report accounting() {
        return new RunAccounting(bootstrap, registry).of(settings.run());
    }

    public void setPictureSink(GridPictureSink sink) {
        pictures.set(sink);
    }

    public List<TvPoint> curve() {
        return List.copyOf(curve);
    }

    public double tvStart() {
        return tvStart;
    }

    /** The most recent exact TV to the target. */
    public double tvNow() {
        return curve.get(curve.size() - 1).tv();
    }

    public OnlineTrainer trainer() {
        return trainer;
    }

    public List<SamplerService> samplers() {
        return List.copyOf(samplers);
    }

    public Map<String, List<ScorerService>> scorers() {
        return scorers;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String schemaRegistryUrl() {
        return registryUrl;
    }

    public DemoSettings settings() {
        return settings;
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
        for (SamplerService s : samplers) {
            closeQuietly(s);
        }
        try {
            stopTrainer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scorers.values().forEach(list -> list.forEach(DemoPipeline::closeQuietly));
        if (joiner != null) {
            closeQuietly(joiner);
        }
        metricsProducer.close(Duration.ofSeconds(5));
        if (ownRegistry != null) {
            ownRegistry.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}

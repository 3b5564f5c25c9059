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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.ops.tasks.TaskProfiles;
import org.ddpp.producers.SamplerSettings;
import org.ddpp.scorers.Scorers;
import org.ddpp.scorers.joiner.JoinerSettings;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.service.ScorerSettings;
import org.ddpp.trainer.online.TrainerSettings;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.registry.RegistryServer;
import org.ddpp.testkit.EmbeddedStack;
import org.ddpp.producers.SamplerConfig;
import org.ddpp.producers.SamplerService;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.MetricsExporter;
import org.ddpp.runtime.RoleMeters;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.avro.CandidateSource;
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
 * The whole online loop in one process for any task with a profile: (embedded or external) Kafka and registry,
 * samplers (following and pinned), one scorer service per required scorer (Java scorers in process, others such
 * as the Python {@code garnier-sheet} as child processes), the reward joiner and the online trainer, plus the
 * evaluation of every published policy version on a thread of its own — exact TV to the target on the grid, the
 * mean log R and the task's quality figures of fresh samples elsewhere. Roles can be stopped, crashed and
 * restarted one by one, which the fault tests use; {@code ddpp demo} and {@code ddpp bench pipeline} drive it too.
 */
public final class DemoPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);

    /** One evaluation: trainer step, policy version, the headline figure's value, seconds since start. */
    public record EvalPoint(long step, long version, double value, double seconds) {}

    /** The grid's headline: exact TV of the policy to the target (lower is better). */
    public static final String EXACT_TV = "tv_policy_to_target";

    /** Other tasks' headline: mean floored log R of fresh policy samples (higher is better). */
    public static final String MEAN_LOG_R = "mean_log_r";

    private final DemoSettings settings;
    private final EmbeddedStack stack;
    private final RegistryServer ownRegistry;
    private final ClusterConnection connection;
    private final String bootstrap;
    private final String registryUrl;
    private final CachedSchemaRegistry registry;
    private final TaskProfile profile;
    private final RewardComposition composition;
    private final Path pretrained;
    private final String headline;
    private final PolicyEvaluator.Figures figures;
    private final double startValue;
    private final List<ExternalScorerProcess> externals = new CopyOnWriteArrayList<>();
    private volatile Map<String, Double> latestFigures = Map.of();
    private final Map<String, Double> startFigures;
    private PolicyEvaluator evaluator;
    /** The demo's own figures (the evaluation of each published policy): gauges over the latest evaluation. */
    private final RoleMeters demoMeters;
    private final MetricsExporter demoExporter;
    private final java.util.Set<String> evaluationGauges = new java.util.HashSet<>();
    private volatile PolicyEvaluator.Evaluated latestEvaluation;
    private final List<SamplerService> samplers = new ArrayList<>();
    private final Map<String, List<ScorerService>> scorers = new LinkedHashMap<>();
    private final List<EvalPoint> curve = new CopyOnWriteArrayList<>();
    private final AtomicReference<GridPictureSink> pictures = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    private RewardJoiner joiner;
    private final org.ddpp.runtime.RewardConfigFollower steering;
    private OnlineTrainer trainer;
    private Thread trainerThread;
    private int scorerInstances;

    private DemoPipeline(DemoSettings settings) throws IOException {
        this.settings = settings;
        if (settings.connection() == null) {
            stack = EmbeddedStack.builder().setDataDir(settings.workDir().resolve("kafka")).start();
            ownRegistry = null;
            connection = stack.connection();
        } else {
            stack = null;
            if (settings.startRegistry()) {
                ownRegistry = RegistryServer.builder().setConnection(settings.connection()).start();
                connection = new ClusterConnection(settings.connection().bootstrapServers(),
                        settings.connection().kafkaProperties(), RegistryClientConfig.of(ownRegistry.url()),
                        settings.connection().topics());
            } else {
                ownRegistry = null;
                connection = settings.connection();
            }
        }
        bootstrap = connection.bootstrapServers();
        registryUrl = connection.registryUrl();
        connection.createMissingTopics();
        this.registry = connection.cachedRegistry();
        Topics.registerValueSchemas(registry, connection.topics().specs());
        this.profile = TaskProfiles.create(settings.task(), settings.cacheDir());
        this.composition = settings.composition() != null ? settings.composition()
                : RewardComposition.parse(profile.rewardSpec(), settings.logRewardFloor());
        // what the run is steered toward now (ddpp steer, the dashboard): the exact evaluation follows it
        this.steering = org.ddpp.runtime.RewardConfigFollower.start("demo", connection, settings.run(), null);
        this.pretrained = new PretrainedCache(settings.cacheDir()).ensure(profile.task(),
                settings.pretrain() != null ? settings.pretrain() : profile.pretrain());
        Map<String, Double> start;
        try (NDManager root = NDManager.newBaseManager();
                Mdm reference = Checkpoint.open(pretrained).loadPolicy(root)) {
            PolicyEvaluator.Figures exact = profile.task() instanceof GridTask grid ? exactGridFigures(grid, reference) : null;
            if (exact != null) {
                this.headline = EXACT_TV;
                this.figures = exact;
            } else {
                this.headline = MEAN_LOG_R;
                this.figures = sampledFigures();
            }
            start = figures.of(reference, 0);
        }
        this.startValue = start.get(headline);
        this.startFigures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(start));
        this.demoMeters = RoleMeters.on(settings.meterRegistry(), "demo", settings.run(), "demo-" + settings.run());
        demoMeters.gauge("policy_version", () -> latestEvaluation == null ? Double.NaN : latestEvaluation.version());
        demoMeters.gauge("step", () -> latestEvaluation == null ? Double.NaN : latestEvaluation.step());
        Map<String, String> labels = Map.of("task", profile.task().name());
        this.demoExporter = MetricsExporter.start(demoMeters, connection, settings.get(DemoOptions.METRICS_INTERVAL), () -> labels);
        record(new PolicyEvaluator.Evaluated(0, 0, start));
    }

    /**
     * Exact TV of the policy's enumerated distribution to {@code π ∝ p_pre · R} over all 128² grid points; null when a
     * required scorer has no in-process form.
     */
    private PolicyEvaluator.Figures exactGridFigures(GridTask grid, Mdm reference) {
        RewardFunction own;
        try {
            own = ExactRewards.of(composition);
        } catch (IllegalArgumentException e) {
            // an external scorer without an in-process form: no exact target, so sampled figures instead
            LOG.warn("no exact evaluation of reward {} ({}); reporting sampled figures", composition.spec(), e.getMessage());
            return null;
        }
        double[] pre = GridEvaluation.exact(reference);
        // the target of each reward-configuration version, made once; 0: the joiner's own composition
        double[] ownTarget = new GridEvaluation(grid, own, own).target(pre);
        Map<Long, double[]> targets = new java.util.concurrent.ConcurrentHashMap<>(Map.of(0L, ownTarget));
        return (model, version) -> {
            // the reward the run is steered toward now; a version without an in-process form is measured against
            // the joiner's own target (said once, when the version is first met)
            java.util.Optional<org.ddpp.schemas.avro.RewardConfig> steered = steering.latest(settings.run());
            long configVersion = steered.map(org.ddpp.schemas.avro.RewardConfig::getVersion).orElse(0L);
            double[] target = targets.computeIfAbsent(configVersion, v -> {
                RewardComposition now = org.ddpp.scorers.reward.RewardConfigLog.composition(steered.orElseThrow());
                try {
                    RewardFunction reward = ExactRewards.of(now);
                    return new GridEvaluation(grid, reward, reward).target(pre);
                } catch (IllegalArgumentException e) {
                    LOG.warn("no exact evaluation of reward {} ({}); TV stays against the target of {}", now.spec(),
                            e.getMessage(), composition.spec());
                    return ownTarget;
                }
            });
            double[] q = GridEvaluation.exact(model);
            GridPictureSink sink = pictures.get();
            if (sink != null && version > 0) {
                sink.show(version, q, target);
            }
            return Map.of(EXACT_TV, Distributions.totalVariation(q, target), "reward_config_version", (double) configVersion);
        };
    }

    /**
     * Mean floored log R (the in-process form of the run's reward) and the task's quality figures of
     * {@code evaluationSamples} fresh samples of the policy, drawn with the profile's sampler settings.
     */
    private PolicyEvaluator.Figures sampledFigures() {
        int samplerSteps = profile.fineTune().build().samplerSteps();
        LogRewardFloor floored = new LogRewardFloor(profile.reward(), composition.floor());
        return (model, version) -> {
            AncestralSampler sampler = new AncestralSampler(samplerSteps, true, true, new MaskSchedule());
            int[][] xs = sampler.sample(model, settings.get(DemoOptions.EVALUATION_SAMPLES), new java.util.SplittableRandom(7919L * version + 1));
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(MEAN_LOG_R, java.util.Arrays.stream(floored.logReward(xs)).average().orElseThrow());
            profile.quality(xs, null).forEach((k, val) -> {
                if (!Double.isNaN(val)) {
                    out.put(k, val);
                }
            });
            return out;
        };
    }

    /** Starts the stack (or connects to the given cluster), creates the topics and pre-trains or loads the model. */
    public static DemoPipeline create(DemoSettings settings) throws IOException {
        return new DemoPipeline(settings);
    }

    /** Starts every role: scorers and joiner first, then the trainer, then the samplers. */
    public DemoPipeline startAll() throws IOException {
        for (String name : composition.names()) {
            if (Scorers.names().contains(name)) {
                startScorer(name);
            } else {
                startExternalScorer(name);
            }
        }
        startJoiner();
        startTrainer();
        for (int i = 0; i < settings.get(DemoOptions.PINNED_SAMPLERS); i++) {
            startSampler(true, i);
        }
        for (int i = 0; i < settings.get(DemoOptions.FOLLOWING_SAMPLERS); i++) {
            startSampler(false, i);
        }
        return this;
    }

    /** Starts one more instance of scorer {@code name} (instances share the load through their consumer group). */
    public ScorerService startScorer(String name) {
        ScorerService s = ScorerService.start(ScorerServiceConfig.builder()
                .setConnection(connection).setScorer(name)
                .opt(ScorerSettings.INSTANCE_ID, name + "-" + (scorerInstances++)).opt(ScorerSettings.METRICS_INTERVAL, settings.get(DemoOptions.METRICS_INTERVAL))
                .optMeterRegistry(settings.meterRegistry()).build());
        scorers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(s);
        return s;
    }

    /**
     * Starts the scorer {@code name} that runs outside the JVM, from the settings' command line or its known
     * default; with {@code startExternal} off, only logs the command the user should run.
     */
    public void startExternalScorer(String name) throws IOException {
        List<String> template = settings.externalScorers().get(name);
        if (template == null) {
            template = KnownExternalScorers.command(name);
        }
        List<String> command = template.stream().map(a -> a.replace("{bootstrap}", bootstrap)
                .replace("{registry}", registryUrl).replace("{run}", settings.run())).toList();
        if (!settings.startExternal()) {
            LOG.info("start external scorer {} yourself: {}", name, String.join(" ", command));
            return;
        }
        externals.add(ExternalScorerProcess.start(name, command, KnownExternalScorers.workingDirectory(command),
                settings.workDir().resolve("external-" + name + ".log")));
    }

    /** The external scorer processes this pipeline started. */
    public List<ExternalScorerProcess> externalScorers() {
        return List.copyOf(externals);
    }

    /** Stops (closes) the newest instance of scorer {@code name}. */
    public void stopScorer(String name) {
        List<ScorerService> list = scorers.get(name);
        if (list != null && !list.isEmpty()) {
            list.remove(list.size() - 1).close();
        }
    }

    public void startJoiner() {
        joiner = RewardJoiner.start(JoinerConfig.builder().setConnection(connection)
                .opt(JoinerSettings.APPLICATION_ID, "ddpp-joiner-" + settings.run())
                .optComposition(composition).opt(JoinerSettings.JOIN_TIMEOUT, settings.get(DemoOptions.JOIN_TIMEOUT))
                .opt(JoinerSettings.STATE_DIR, settings.workDir().resolve("joiner-state"))
                .opt(JoinerSettings.METRICS_INTERVAL, settings.get(DemoOptions.METRICS_INTERVAL)).optMeterRegistry(settings.meterRegistry()).build());
    }

    public SamplerService startSampler(boolean pinned, int index) throws IOException {
        SamplerService s = SamplerService.start(SamplerConfig.builder()
                .setRun(settings.run()).setConnection(connection)
                .setPretrained(pretrained)
                .opt(SamplerSettings.SAMPLER_ID, (pinned ? "pinned-" : "policy-") + index)
                .optPinned(pinned)
                .optSource(pinned ? CandidateSource.PRETRAINED : CandidateSource.POLICY)
                .opt(SamplerSettings.SEED, 1000L * (pinned ? 1 : 2) + index + System.nanoTime() % 1000)
                .opt(SamplerSettings.MAX_OUTSTANDING, settings.get(DemoOptions.MAX_OUTSTANDING))
                .opt(SamplerSettings.TARGET_LATENCY, settings.get(DemoOptions.TARGET_LATENCY))
                // the task's sampler steps, as its offline loop and the demo's evaluation draw (MNIST: 32, not 64)
                .opt(SamplerSettings.SAMPLER_STEPS, profile.fineTune().build().samplerSteps())
                .opt(SamplerSettings.METRICS_INTERVAL, settings.get(DemoOptions.METRICS_INTERVAL))
                .opt(RoleSettings.DEVICE, settings.get(RoleSettings.DEVICE))
                .optMeterRegistry(settings.meterRegistry())
                .build());
        samplers.add(s);
        return s;
    }

    /** Starts the trainer on its own thread (resuming from its checkpoint when one exists). */
    public synchronized void startTrainer() throws IOException {
        OnlineTrainerConfig config = OnlineTrainerConfig.builder()
                .setRun(settings.run()).setConnection(connection)
                .setPretrained(pretrained).setStateDir(settings.workDir().resolve("trainer"))
                // the profile's loss settings, with those given to the demo; online there is no end to decay the rates towards
                .optDdpp(org.ddpp.trainer.learner.LossSettings.applyGiven(settings.settings(), profile.fineTune().build().ddpp().toBuilder())
                        .optLrDecaySteps(0).build())
                .opt(TrainerSettings.PUBLISH_EVERY, settings.get(DemoOptions.PUBLISH_EVERY)).opt(TrainerSettings.CHECKPOINT_EVERY, settings.get(DemoOptions.CHECKPOINT_EVERY))
                .opt(TrainerSettings.FRESH_PER_STEP, settings.get(DemoOptions.FRESH_PER_STEP))
                .opt(TrainerSettings.METRICS_INTERVAL, settings.get(DemoOptions.METRICS_INTERVAL))
                .opt(RoleSettings.DEVICE, settings.get(RoleSettings.DEVICE)).optMeterRegistry(settings.meterRegistry()).build();
        if (evaluator == null) {
            evaluator = new PolicyEvaluator(pretrained, figures, this::record, settings.run());
        }
        PolicyEvaluator eval = evaluator;
        OnlineTrainer t = OnlineTrainer.create(config, new OnlineTrainer.Listener() {
            @Override
            public void onPublished(long version, long step, Mdm policy) {
                eval.submit(version, step, policy);
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

    private void record(PolicyEvaluator.Evaluated e) {
        latestFigures = e.figures();
        curve.add(new EvalPoint(e.step(), e.version(), e.figures().get(headline), seconds()));
        latestEvaluation = e;
        synchronized (evaluationGauges) {
            for (String figure : e.figures().keySet()) {
                if (evaluationGauges.add(figure)) {
                    demoMeters.gauge(figure, () -> latestEvaluation.figures().getOrDefault(figure, Double.NaN));
                }
            }
        }
        demoExporter.exportNow(); // each evaluation is a point on the dashboard's curves
    }

    /** Stops the samplers (no new candidates) and waits until every published candidate is scored or dead-lettered. */
    public RunAccounting.Report drain(Duration timeout) throws InterruptedException {
        for (SamplerService s : samplers) {
            s.close();
        }
        samplers.clear();
        RunAccounting accounting = new RunAccounting(connection, registry);
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
        return new RunAccounting(connection, registry).of(settings.run());
    }

    public void setPictureSink(GridPictureSink sink) {
        pictures.set(sink);
    }

    public List<EvalPoint> curve() {
        return List.copyOf(curve);
    }

    /** Name of the headline figure: {@link #EXACT_TV} (grid) or {@link #MEAN_LOG_R}. */
    public String headline() {
        return headline;
    }

    /** True when a smaller headline value is better (TV). */
    public boolean lowerIsBetter() {
        return EXACT_TV.equals(headline);
    }

    /** The headline figure of the pre-trained model. */
    public double startValue() {
        return startValue;
    }

    /** The most recent evaluation's headline figure. */
    public double valueNow() {
        return curve.get(curve.size() - 1).value();
    }

    /** Every figure of the pre-trained model's evaluation, before any training. */
    public Map<String, Double> startFigures() {
        return startFigures;
    }

    /** Every figure of the most recent evaluation. */
    public Map<String, Double> latestFigures() {
        return latestFigures;
    }

    /** The pre-trained checkpoint the run starts from. */
    public Path pretrained() {
        return pretrained;
    }

    /** The task's profile (reward, quality figures). */
    public TaskProfile profile() {
        return profile;
    }

    /** The reward the joiner applies. */
    public RewardComposition composition() {
        return composition;
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

    /** How the demo's roles reach the cluster (embedded or given). */
    public ClusterConnection connection() {
        return connection;
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
        if (evaluator != null) {
            evaluator.close();
        }
        externals.forEach(DemoPipeline::closeQuietly);
        scorers.values().forEach(list -> list.forEach(DemoPipeline::closeQuietly));
        if (joiner != null) {
            closeQuietly(joiner);
        }
        steering.close();
        demoExporter.close();
        demoMeters.close();
        if (ownRegistry != null) {
            ownRegistry.close();
        }
        if (stack != null) {
            stack.close();
        }
        profile.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}

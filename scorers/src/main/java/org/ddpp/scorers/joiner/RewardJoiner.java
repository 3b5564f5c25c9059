package org.ddpp.scorers.joiner;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.runtime.MetricsExporter;
import org.ddpp.runtime.RoleMeters;
import org.ddpp.runtime.HangingTransactions;
import org.ddpp.runtime.TransactionWatchdog;
import org.ddpp.runtime.RewardConfigFollower;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reward joiner ({@code ddpp joiner}): a Kafka Streams application with {@code exactly_once_v2} that joins
 * {@code ddpp.candidates} with the {@code ddpp.scores} of every required scorer and writes each candidate
 * exactly once, either as a {@code ScoredCandidate} to {@code ddpp.rewards} (combined with
 * {@link org.ddpp.scorers.reward.RewardComposition#combine}) or as a {@code DeadLetter} to {@code ddpp.dlq}
 * (stage {@code joiner:timeout}, {@code joiner:failed}, {@code joiner:invalid}, {@code joiner:decode} or
 * {@code joiner:duplicate-candidate}; {@code joiner:state} for a value of its own state that does not read) — never to the trainer as reward 0. Scores of scorers that are not
 * required are ignored; scores whose candidate never arrives are dead-lettered as {@code joiner:orphan-score}.
 * The topology and the Streams properties come from static methods that the unit tests reuse. Streams does not
 * create its source topics: create them first ({@link org.ddpp.schemas.Topics#create}).
 */
public final class RewardJoiner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RewardJoiner.class);

    static final String CANDIDATE_SOURCE = "candidates";
    static final String SCORE_SOURCE = "scores";
    static final String JOIN_PROCESSOR = "join";
    static final String REWARDS_SINK = "rewards";
    static final String DLQ_SINK = "dead-letters";
    /** State store of pending joins, keyed by candidate id. */
    public static final String PENDING_STORE = "joiner-pending";
    /** State store of the settled candidates ({@link SettledIndex}). */
    public static final String SETTLED_STORE = "joiner-settled";
    /** State store indexing pending entries by deadline. */
    public static final String DEADLINE_STORE = "joiner-deadlines";

    private final JoinerConfig config;
    private final KafkaStreams streams;
    private final JoinerMeters metrics;
    private final MetricsExporter exporter;
    private final RoleMeters meters;
    private final TransactionWatchdog watchdog;
    private final RewardConfigFollower steering;
    private final org.apache.kafka.clients.producer.Producer<byte[], byte[]> rejections;

    private RewardJoiner(JoinerConfig config, KafkaStreams streams, JoinerMeters metrics, MetricsExporter exporter,
            RoleMeters meters, TransactionWatchdog watchdog, RewardConfigFollower steering,
            org.apache.kafka.clients.producer.Producer<byte[], byte[]> rejections) {
        this.steering = steering;
        this.rejections = rejections;
        this.meters = meters;
        this.watchdog = watchdog;
        this.config = config;
        this.streams = streams;
        this.metrics = metrics;
        this.exporter = exporter;
    }

    /**
     * The joiner's topology: byte-array sources on the candidates and scores topics (decoding happens inside,
     * so a bad record becomes a dead letter instead of stopping the application), the join processor with its
     * three stores, and byte-array sinks to the rewards and dead-letter topics.
     */
    public static Topology topology(JoinerConfig config, CachedSchemaRegistry registry, JoinerMeters metrics) {
        return topology(config, registry, metrics, RewardVersions.NONE);
    }

    /** The topology, joining steered candidates under the reward configurations {@code versions} knows. */
    public static Topology topology(JoinerConfig config, CachedSchemaRegistry registry, JoinerMeters metrics,
            RewardVersions versions) {
        Topology topology = new Topology();
        topology.addSource(CANDIDATE_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().candidates());
        topology.addSource(SCORE_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().scores());
        topology.addProcessor(JOIN_PROCESSOR, () -> new RewardJoinProcessor(config, registry, metrics, versions), CANDIDATE_SOURCE, SCORE_SOURCE);
        topology.addStateStore(pendingStore(config), JOIN_PROCESSOR);
        topology.addStateStore(bytesStore(config, DEADLINE_STORE), JOIN_PROCESSOR);
        topology.addStateStore(bytesStore(config, SETTLED_STORE), JOIN_PROCESSOR);
        topology.addSink(REWARDS_SINK, config.topics().rewards(), new ByteArraySerializer(), new ByteArraySerializer(), JOIN_PROCESSOR);
        topology.addSink(DLQ_SINK, config.topics().dlq(), new ByteArraySerializer(), new ByteArraySerializer(), JOIN_PROCESSOR);
        return topology;
    }

    /** Values are {@link PendingJoinSerde} bytes, read by the processor so that a corrupt one becomes a dead letter. */
    private static StoreBuilder<KeyValueStore<String, byte[]>> pendingStore(JoinerConfig config) {
        return Stores.keyValueStoreBuilder(supplier(config, PENDING_STORE), Serdes.String(), Serdes.ByteArray());
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> bytesStore(JoinerConfig config, String name) {
        return Stores.keyValueStoreBuilder(supplier(config, name), Serdes.Bytes(), Serdes.ByteArray());
    }

    private static KeyValueBytesStoreSupplier supplier(JoinerConfig config, String name) {
        return config.inMemoryState() ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    /** Streams properties: exactly_once_v2, the application id, threads, state directory, the state's memory bound. */
    public static Properties streamsProperties(JoinerConfig config) {
        Properties p = new Properties();
        p.putAll(config.connection().streamsProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedStateMemory.class);
        p.put(BoundedStateMemory.MEMORY_BYTES_CONFIG, config.stateMemoryBytes());
        return p;
    }

    /**
     * How long {@link #close()} waits for Kafka Streams to commit and leave: long enough for a healthy broker,
     * short enough that a role stop stays well inside the 30 s shutdown bound when the broker is gone (an
     * abandoned transaction is aborted by the broker, so exactly-once holds either way).
     */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** How long the joiner waits at start to have read every reward configuration. */
    static final Duration STEERING_CATCH_UP = Duration.ofSeconds(30);

    /** Starts the joiner; returns once Streams is running or fails to start. */
    public static RewardJoiner start(JoinerConfig config) {
        CachedSchemaRegistry registry = config.connection().cachedRegistry();
        RoleMeters meters = RoleMeters.on(config.meterRegistry(), "joiner", "all", config.applicationId());
        JoinerMeters metrics = new JoinerMeters(meters);
        Properties props = streamsProperties(config);
        // Streams' changelog and repartition topics are replicated like the pipeline's own topics
        org.ddpp.schemas.Replication replication = config.connection().resolvedReplication();
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
        props.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(replication.minInsyncReplicas()));
        // what each steered run asks for: read to its end before the first candidate is joined
        org.apache.kafka.clients.producer.Producer<byte[], byte[]> rejections = new org.apache.kafka.clients.producer.KafkaProducer<>(
                config.connection().producerProperties(config.applicationId() + "-reward-config-rejections"),
                new ByteArraySerializer(), new ByteArraySerializer());
        RewardConfigFollower steering = RewardConfigFollower.start("joiner", config.connection(), null,
                new DeadLetterPublisher(rejections, new org.ddpp.schemas.serde.AvroSerializer<>(registry, true, false), config.topics().dlq()));
        try {
            if (!steering.awaitCaughtUp(STEERING_CATCH_UP)) {
                LOG.warn("joiner {}: {} not read to its end within {} s; steered candidates wait for their configuration",
                        config.applicationId(), config.topics().rewardConfig(), STEERING_CATCH_UP.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steering.bindTo(meters);
        KafkaStreams streams = new KafkaStreams(topology(config, registry, metrics, RewardVersions.of(steering)), props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("joiner stream thread failed; replacing it (exactly-once makes this safe)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        Map<String, String> labels = Map.of("scorers", config.composition().spec(),
                "log_floor", Double.toString(config.composition().floor()));
        meters.gauge("pending", () -> pendingJoins(streams));
        meters.gauge("state_memory_bound_bytes", () -> config.inMemoryState() ? Double.NaN : config.stateMemoryBytes());
        meters.gauge("state_memory_used_bytes", () -> StateMemory.of(streams.metrics()).cacheUsageBytes());
        meters.bindStreams(streams);
        MetricsExporter exporter = MetricsExporter.start(meters, config.connection(), config.metricsInterval(), () -> labels);
        streams.start();
        TransactionWatchdog watchdog = config.transactionCheck().isZero() ? null
                : TransactionWatchdog.start("joiner", config.connection().admin(config.applicationId() + "-watchdog"),
                        watchedTopics(config), config.transactionCheck(), HangingTransactions.DEFAULT_MAX_TRANSACTION_AGE, meters);
        LOG.info("joiner {} started: log R = max({}, Σ w_k log R_k) over {}, timeout {} ms", config.applicationId(),
                config.composition().floor(), config.composition().spec(), config.joinTimeout().toMillis());
        return new RewardJoiner(config, streams, metrics, exporter, meters, watchdog, steering, rejections);
    }

    /**
     * What a hanging transaction could block for the joiner or its readers: its inputs and outputs, its changelogs
     * and the group offsets its transactions commit.
     */
    static java.util.function.Predicate<String> watchedTopics(JoinerConfig config) {
        java.util.Set<String> own = java.util.Set.of(config.topics().candidates(), config.topics().scores(),
                config.topics().rewards(), config.topics().dlq(), org.apache.kafka.common.internals.Topic.GROUP_METADATA_TOPIC_NAME);
        String prefix = config.applicationId() + "-";
        return name -> own.contains(name) || (name.startsWith(prefix) && name.endsWith("-changelog"));
    }

    /**
     * Entries of the pending-join store (candidates waiting for scores, scores waiting for their candidate) across
     * this instance's tasks; NaN while Streams is not running. Approximate for RocksDB, exact in memory.
     */
    private static double pendingJoins(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Double.NaN;
        }
        try {
            return streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(PENDING_STORE,
                    org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>keyValueStore()))
                    .approximateNumEntries();
        } catch (RuntimeException e) {
            return Double.NaN; // rebalancing or restoring
        }
    }

    /** What the RocksDB stores open in this process report of their memory now (empty while none is open). */
    public StateMemory stateMemory() {
        return StateMemory.of(streams.metrics());
    }

    /** The joiner's meters ({@code ddpp.joiner.*}). */
    public JoinerMeters metrics() {
        return metrics;
    }

    /** All of the joiner's meters, as Prometheus and {@code ddpp.metrics} see them. */
    public RoleMeters meters() {
        return meters;
    }

    public JoinerConfig config() {
        return config;
    }

    /** The Streams state (RUNNING once partitions are assigned and stores restored). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until Streams reports RUNNING; false when it did not within {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            running.await(100, TimeUnit.MILLISECONDS);
        }
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Stops Streams (committing its last transaction) and publishes a final metrics snapshot. */
    @Override
    public void close() {
        // the watchdog stops beside Streams, not after it: both may wait for a broker that is gone
        Thread stopWatchdog = new Thread(() -> {
            if (watchdog != null) {
                watchdog.close();
            }
        }, "ddpp-joiner-close-watchdog");
        stopWatchdog.setDaemon(true);
        stopWatchdog.start();
        // leaving the group hands this instance's tasks to the others at once, instead of after the session timeout
        // (45 s without joining on those partitions when an instance is stopped for good)
        if (!streams.close(org.apache.kafka.streams.CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.warn("joiner {}: Kafka Streams did not close within {} s (broker gone?); exactly-once aborts what it had open",
                    config.applicationId(), CLOSE_TIMEOUT.toSeconds());
        }
        org.ddpp.runtime.Shutdown.await(stopWatchdog, Duration.ofSeconds(10));
        steering.close();
        rejections.close(Duration.ofSeconds(2));
        exporter.close();
        meters.close();
        LOG.info("joiner {} stopped: {} joined, {} dead letters, {} clamped", config.applicationId(),
                metrics.joined(), metrics.deadLetters(), (long) metrics.clamped.count());
    }
}

package org.ddpp.scorers.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.runtime.MetricsExporter;
import org.ddpp.runtime.RoleMeters;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.dlq.DeadLetterException;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.scorers.CandidateCheck;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Scorer} as a Kafka service ({@code ddpp scorer}): reads {@code ddpp.candidates} with
 * read_committed in the consumer group {@code ddpp-scorer-<name>}, scores what it polled in batches, and writes
 * the {@code Score}s to {@code ddpp.scores} in one Kafka transaction together with the consumed offsets
 * (consume-transform-produce), so every candidate is scored exactly once per scorer even across crashes.
 *
 * <p>Per poll at most {@code maxInFlight} candidates are in flight. A candidate that fails its task's checks is
 * scored INVALID without calling the scorer; a scorer call that keeps failing or timing out yields FAILED scores
 * with the reason (the joiner dead-letters them); a record that does not decode goes to {@code ddpp.dlq} inside
 * the same transaction (stage {@code scorer:<name>}), except when the schema registry cannot be reached: then
 * the transaction is aborted and the records are read again, so a registry outage never dead-letters good
 * records. Any other aborted transaction (broker error, rebalance) is retried the same way. Candidates of a task the scorer does not accept are skipped: their offsets are committed
 * and no score is written (the joiner times such candidates out only if this scorer is required for them).
 * Several instances of one scorer share the partitions through the group; each needs its own instance id, which
 * is both its transactional id and its static group member id, so a restarted instance fences its predecessor
 * and takes its partitions back without waiting for a session timeout.
 */
public final class ScorerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerService.class);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final ScorerServiceConfig config;
    private final Scorer scorer;
    private final CachedSchemaRegistry registry;
    private final ScorerMeters metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final DeadLetterPublisher deadLetters;
    private final Deserializer<Candidate> candidates;
    private final String stage;
    private final Serializer<Score> scoreSerializer;
    private final StringSerializer keySerializer = new StringSerializer();
    private final ExecutorService callers;
    private final CallPool workers;
    private final ScoringCall call;
    private final MetricsExporter exporter;
    private final Thread loop;
    private final RoleMeters meters;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private ScorerService(ScorerServiceConfig config, Scorer scorer) {
        if (!scorer.name().equals(config.scorer())) {
            throw new IllegalArgumentException("scorer " + scorer.name() + " does not match configured " + config.scorer());
        }
        this.config = config;
        this.scorer = scorer;
        this.registry = config.connection().cachedRegistry();
        this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.deadLetters = new DeadLetterPublisher(producer, new AvroSerializer<>(registry, true, false), config.topics().dlq());
        this.candidates = new AvroDeserializer<>(registry, Candidate.class);
        this.stage = "scorer:" + scorer.name();
        this.meters = RoleMeters.on(config.meterRegistry(), "scorer", "all", config.memberId(),
                "scorer", scorer.name(), "scorer_instance", config.instanceId());
        this.metrics = new ScorerMeters(meters, stage);
        this.scoreSerializer = new AvroSerializer<>(registry, true, false);
        AtomicInteger threads = new AtomicInteger();
        this.callers = Executors.newFixedThreadPool(config.get(ScorerSettings.PARALLELISM), r -> daemon(r, "ddpp-scorer-" + scorer.name() + "-batch-" + threads.incrementAndGet()));
        this.workers = new CallPool(config.callThreads(), "ddpp-scorer-" + scorer.name() + "-call");
        this.call = new ScoringCall(scorer, workers, config, metrics);
        meters.bind(consumer);
        meters.bind(producer);
        Map<String, String> labels = Map.of("scorer_version", scorer.version());
        this.exporter = MetricsExporter.start(meters, config.connection(), config.get(ScorerSettings.METRICS_INTERVAL), () -> labels);
        this.loop = new Thread(this::run, "ddpp-scorer-" + scorer.name() + "-" + config.instanceId());
    }

    /** Starts the service for the scorer named in {@code config}, found through {@link Scorers}. */
    public static ScorerService start(ScorerServiceConfig config) {
        return start(config, Scorers.byName(config.scorer()));
    }

    /** Starts the service for {@code scorer} (its name must match the configuration). */
    public static ScorerService start(ScorerServiceConfig config, Scorer scorer) {
        ScorerService service = new ScorerService(config, scorer);
        service.loop.start();
        LOG.info("scorer {} v{} started as {} (tasks {}), reading {}", scorer.name(), scorer.version(),
                config.memberId(), scorer.tasks(), config.topics().candidates());
        return service;
    }

    /** Consumer settings: read_committed, no auto-commit, static membership, at most maxInFlight per poll. */
    public static Map<String, Object> consumerProperties(ScorerServiceConfig config) {
        Map<String, Object> p = config.connection().consumerProperties(config.memberId());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.memberId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.get(ScorerSettings.MAX_IN_FLIGHT));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.get(ScorerSettings.SESSION_TIMEOUT).toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.get(ScorerSettings.SESSION_TIMEOUT).toMillis() / 5));
        return p;
    }

    /** Producer settings: transactional with the instance's member id, idempotent, acks=all. */
    public static Map<String, Object> producerProperties(ScorerServiceConfig config) {
        Map<String, Object> p = config.connection().producerProperties(config.memberId());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.memberId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.get(ScorerSettings.TRANSACTION_TIMEOUT).toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    /** This instance's meters ({@code ddpp.scorer.*}), as Prometheus and {@code ddpp.metrics} see them. */
    public RoleMeters meters() {
        return meters;
    }

    /** Scores this instance wrote (ok, failed and invalid) in committed transactions. */
    public long scored() {
        return metrics.scored();
    }

    public ScorerServiceConfig config() {
        return config;
    }

    /** True while the loop runs; false after {@link #close()} or a fatal error (see {@link #failure()}). */
    public boolean isRunning() {
        return loop.isAlive();
    }

    /** The error that stopped the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(config.topics().candidates()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    processInTransaction(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                | UnsupportedVersionException | AuthorizationException e) {
            failure = e;
            LOG.error("scorer {} instance {} stops: {} (another instance with the same --instance-id started?)",
                    scorer.name(), config.instanceId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            LOG.error("scorer {} instance {} stops on an unexpected error", scorer.name(), config.instanceId(), e);
        } finally {
            closeClients();
        }
    }

    /** Runs on the loop thread: the clients are not thread-safe. */
    private void closeClients() {
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warn("scorer {} consumer did not close cleanly: {}", scorer.name(), e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("scorer {} producer did not close cleanly: {}", scorer.name(), e.toString());
        }
    }

    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        producer.beginTransaction();
        try {
            List<Candidate> toScore = new ArrayList<>();
            List<Score> scores = new ArrayList<>();
            int skipped = 0;
            int letters = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Candidate candidate;
                try {
                    candidate = candidates.deserialize(record.topic(), record.headers(), record.value());
                } catch (RuntimeException e) {
                    if (org.ddpp.schemas.registry.RegistryOutageException.isCause(e)) {
                        throw e; // transient: abort, re-read and retry; never dead-letter a good record
                    }
                    deadLetters.publish(record, stage, "undecodable value: " + e.getMessage(), e);
                    letters++;
                    continue;
                }
                if (candidate == null) {
                    deadLetters.publish(record, stage, "candidate record without a value", null);
                    letters++;
                } else if (!scorer.accepts(candidate.getTask())) {
                    skipped++;
                } else {
                    String invalid = CandidateCheck.invalidReason(candidate);
                    if (invalid != null) {
                        scores.add(score(candidate, ScoreResult.invalid(invalid), 0));
                    } else {
                        toScore.add(candidate);
                    }
                }
            }
            scores.addAll(scoreAll(toScore));
            for (Score score : scores) {
                producer.send(new ProducerRecord<>(config.topics().scores(),
                        keySerializer.serialize(config.topics().scores(), score.getCandidateId()),
                        scoreSerializer.serialize(config.topics().scores(), score)));
            }
            producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
            producer.commitTransaction();
            metrics.transactions.increment();
            metrics.skipped.increment(skipped);
            metrics.deadLetters.increment(letters);
            scores.forEach(score -> count(score.getStatus()));
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                | UnsupportedVersionException | AuthorizationException e) {
            throw e;
        } catch (KafkaException | DeadLetterException e) {
            LOG.warn("scorer {} aborts a transaction of {} records and re-reads them: {}", scorer.name(), records.count(), e.toString());
            metrics.aborts.increment();
            producer.abortTransaction();
            rewindToCommitted();
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (RuntimeException e) {
            metrics.aborts.increment();
            producer.abortTransaction();
            throw e;
        }
    }

    private List<Score> scoreAll(List<Candidate> candidates) throws InterruptedException {
        List<Future<List<ScoreResult>>> futures = new ArrayList<>();
        List<List<Candidate>> batches = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += config.get(ScorerSettings.BATCH_SIZE)) {
            List<Candidate> batch = candidates.subList(from, Math.min(candidates.size(), from + config.get(ScorerSettings.BATCH_SIZE)));
            batches.add(batch);
            starts.add(System.nanoTime());
            futures.add(callers.submit(() -> call.score(batch)));
        }
        List<Score> out = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            List<ScoreResult> results;
            try {
                results = futures.get(b).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring batch failed unexpectedly", e.getCause());
            }
            List<Candidate> batch = batches.get(b);
            long micros = (System.nanoTime() - starts.get(b)) / 1000 / Math.max(1, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(score(batch.get(i), results.get(i), micros));
            }
        }
        return out;
    }

    private Score score(Candidate candidate, ScoreResult result, long latencyMicros) {
        ScoreResult usable = result;
        if (result.status() == ScoreStatus.OK && !result.usable()) {
            usable = ScoreResult.failed("scorer returned log reward " + result.logReward());
        }
        Map<String, String> details = usable.reason() == null ? Map.of() : Map.of("reason", usable.reason());
        return Score.newBuilder()
                .setCandidateId(candidate.getId())
                .setRun(candidate.getRun())
                .setScorer(scorer.name())
                .setScorerVersion(scorer.version())
                .setStatus(usable.status())
                .setLogReward(usable.status() == ScoreStatus.OK ? usable.logReward() : null)
                .setDetails(details)
                .setLatencyMicros(latencyMicros)
                .setScoredAt(Instant.now())
                .build();
    }

    private void count(ScoreStatus status) {
        metrics.verdicts.get(status).increment();
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            out.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return out;
    }

    /** After an aborted transaction: go back to the last committed offsets so nothing is skipped. */
    private void rewindToCommitted() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        List<TopicPartition> none = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                none.add(partition);
            } else {
                consumer.seek(partition, offset);
            }
        }
        if (!none.isEmpty()) {
            consumer.seekToBeginning(none);
        }
    }

    /** Stops after the current transaction, leaves the group, and closes the clients. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Shutdown.stop(loop, Duration.ofSeconds(60), Duration.ofSeconds(15));
        callers.shutdownNow();
        workers.close();
        exporter.close();
        meters.close();
        LOG.info("scorer {} instance {} stopped: {} scored ({} ok, {} failed, {} invalid), {} skipped, {} dead letters",
                scorer.name(), config.instanceId(), metrics.scored(), metrics.verdicts(ScoreStatus.OK),
                metrics.verdicts(ScoreStatus.FAILED), metrics.verdicts(ScoreStatus.INVALID), (long) metrics.skipped.count(), (long) metrics.deadLetters.count());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

package org.ddpp.trainer.online;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.diffusion.task.Task;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.runtime.RewindOnOutage;
import org.ddpp.schemas.dlq.RecordDecoder;
import org.ddpp.schemas.registry.RegistryOutageException;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code ddpp.rewards} on its own thread into the trainer's {@link MixedReplay}: decodes each record
 * (undecodable ones go to the dead-letter topic), keeps only the trainer's run, dead-letters sequences that are
 * not valid for the task or carry a non-finite reward, and tracks the next offset of every partition, which the
 * trainer's checkpoints store. Consumed positions are also committed to the trainer's consumer group so that
 * samplers can apply flow control.
 *
 * <p>Each sample keeps its scorers' raw log rewards, and the buffer recombines it under the trainer's current reward
 * configuration as it goes in ({@link MixedReplay#add}), re-read ones too.
 *
 * <p>On a restart from a checkpoint the reader first re-reads up to one buffer's worth of records before the
 * checkpointed offsets to refill the replay buffer (the Kafka log is the replay buffer); those are flagged as
 * replayed and not counted as consumed again.
 */
public final class RewardStreamReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RewardStreamReader.class);
    static final String STAGE = "trainer";

    private final String run;
    private final String rewardsTopic;
    private final Task task;
    private final MixedReplay replay;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final org.apache.kafka.common.serialization.Deserializer<String> keys;
    private final org.apache.kafka.common.serialization.Deserializer<ScoredCandidate> values;
    private final RecordDecoder<String, ScoredCandidate> decoder;
    private final DeadLetterPublisher deadLetters;
    private final Map<TopicPartition, Long> resumeOffsets;
    private final Map<Integer, Long> nextOffsets = new ConcurrentHashMap<>();
    /** Offsets the group's last successful commit holds (flow control reads them); written by commit callbacks. */
    private final Map<Integer, Long> groupHolds = new ConcurrentHashMap<>();
    private long lastCommitNanos;
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong otherRuns = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private long lastOutageLog;
    private volatile Throwable failure;
    private final LatencyWindow latencies = new LatencyWindow(20_000);
    /** Of that latency: created → joined (samplers, scorers, joiner) and joined → consumed (commit, queue, reader). */
    private final LatencyWindow toJoined = new LatencyWindow(20_000);
    private final LatencyWindow fromJoined = new LatencyWindow(20_000);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final java.util.function.LongSupplier allowance;

    /**
     * @param resumeOffsets next offset per partition from a checkpoint (empty: resume from the group's committed
     *     offsets, or the beginning)
     * @param warmRecords how many records before the resume offsets to re-read into the buffer (spread over the
     *     partitions)
     * @param allowance how many new records may have been consumed by now (checked before every poll)
     */
    public RewardStreamReader(
            OnlineTrainerConfig config,
            Task task,
            MixedReplay replay,
            CachedSchemaRegistry registry,
            DeadLetterPublisher deadLetters,
            Map<Integer, Long> resumeOffsets,
            int warmRecords,
            java.util.function.LongSupplier allowance) {
        this.allowance = allowance;
        this.run = config.run();
        this.rewardsTopic = config.connection().topics().rewards();
        this.task = task;
        this.replay = replay;
        this.deadLetters = deadLetters;
        Map<String, Object> props = config.connection().consumerProperties("ddpp-trainer-" + run);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.keys = Topics.REWARDS.keySerde(registry, false).deserializer();
        this.values = Topics.REWARDS.valueSerde(registry, false).deserializer();
        this.decoder = new RecordDecoder<>(keys, values, deadLetters, STAGE);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(config.connection().topics().rewards(), Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        this.resumeOffsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        int warmPerPartition = partitions.isEmpty() ? 0 : warmRecords / partitions.size();
        for (TopicPartition tp : partitions) {
            Long resume = resumeOffsets.get(tp.partition());
            if (resume == null && committed.get(tp) != null) {
                resume = committed.get(tp).offset();
            }
            if (resume == null) {
                consumer.seekToBeginning(List.of(tp));
                continue;
            }
            this.resumeOffsets.put(tp, resume);
            nextOffsets.put(tp.partition(), resume);
            consumer.seek(tp, Math.max(0, resume - warmPerPartition));
        }
        this.thread = new Thread(this::loop, "reward-reader-" + run);
        this.thread.setDaemon(true);
    }

    /** Starts reading. */
    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (running.get()) {
                if (consumed.get() >= allowance.getAsLong()) {
                    // The trainer has taken in what its steps so far allow; the rest waits in Kafka.
                    updateLag();
                    Thread.sleep(20);
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                try {
                    RewindOnOutage.process(consumer, records, this::handle);
                } catch (RegistryOutageException e) {
                    // not the records' fault: they are read again once the registry answers
                    outages.incrementAndGet();
                    if (System.nanoTime() - lastOutageLog > 10_000_000_000L) {
                        lastOutageLog = System.nanoTime();
                        LOG.warn("reward reader: {}; reading again in 500 ms", e.getMessage());
                    }
                    Thread.sleep(500);
                }
                // The consumer's position, not last offset + 1: it also steps over transaction markers, so a reader
                // that has read everything stands exactly at the end of the partition.
                boolean moved = false;
                for (TopicPartition tp : consumer.assignment()) {
                    long position = consumer.position(tp);
                    Long before = nextOffsets.put(tp.partition(), position);
                    moved |= before == null || before != position;
                }
                // Commit when the position moved, and again (at most once a second) while the group does not hold it:
                // a commit that failed while a broker was gone is repeated even when no new record arrives — the
                // samplers' flow control reads these offsets, and a stale one would hold them paused for good.
                if (moved || (!groupHolds.equals(nextOffsets) && System.nanoTime() - lastCommitNanos > 1_000_000_000L)) {
                    lastCommitNanos = System.nanoTime();
                    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                    nextOffsets.forEach((p, o) -> commit.put(new TopicPartition(rewardsTopic, p), new OffsetAndMetadata(o)));
                    consumer.commitAsync(commit, (offsets, e) -> {
                        if (e == null) {
                            offsets.forEach((tp, o) -> groupHolds.merge(tp.partition(), o.offset(), Math::max));
                        }
                    });
                }
                updateLag();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("reward reader stopped: {}", e.toString(), e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing consumer: {}", e.toString());
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        boolean isReplay = record.offset() < resumeOffsets.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
        Optional<RecordDecoder.Decoded<String, ScoredCandidate>> decoded = isReplay ? decodeQuietly(record) : decoder.decode(record);
        if (decoded.isEmpty() || decoded.get().value() == null) {
            return;
        }
        ScoredCandidate scored = decoded.get().value();
        Candidate c = scored.getCandidate();
        if (!run.equals(c.getRun())) {
            otherRuns.incrementAndGet();
            return;
        }
        String problem = problem(scored);
        if (problem != null) {
            if (!isReplay) {
                deadLetters.publish(record, STAGE, problem, null);
            }
            return;
        }
        int[] tokens = c.getTokens().stream().mapToInt(Integer::intValue).toArray();
        String source = c.getSource() == CandidateSource.POLICY ? ScoredSequence.POLICY
                : c.getSource() == CandidateSource.PRETRAINED ? ScoredSequence.PRETRAINED : ScoredSequence.PRIOR;
        // recombined under the trainer's current reward configuration; one that lacks a term it needs is counted there
        // and still consumed: its offset is passed like any other's
        replay.add(RewardRecombination.sample(scored, tokens, source));
        (isReplay ? replayed : consumed).incrementAndGet();
        if (!isReplay) {
            long now = System.currentTimeMillis();
            latencies.record(now - c.getCreatedAt().toEpochMilli());
            toJoined.record(scored.getJoinedAt().toEpochMilli() - c.getCreatedAt().toEpochMilli());
            fromJoined.record(now - scored.getJoinedAt().toEpochMilli());
        }
    }

    /** Decodes a re-read record; failures were dead-lettered when it was first read, so they are only skipped. */
    private Optional<RecordDecoder.Decoded<String, ScoredCandidate>> decodeQuietly(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.of(new RecordDecoder.Decoded<>(
                    keys.deserialize(record.topic(), record.headers(), record.key()),
                    values.deserialize(record.topic(), record.headers(), record.value()),
                    record));
        } catch (RuntimeException e) {
            if (RegistryOutageException.isCause(e)) {
                throw new RegistryOutageException("schema registry unavailable while re-reading a reward: " + e.getMessage(), e);
            }
            return Optional.empty();
        }
    }

    /** Why a scored candidate cannot be trained on, or null. */
    private String problem(ScoredCandidate scored) {
        Candidate c = scored.getCandidate();
        if (!task.name().equals(c.getTask())) {
            return "candidate of task '" + c.getTask() + "' in a run of task '" + task.name() + "'";
        }
        int[] tokens = c.getTokens().stream().mapToInt(Integer::intValue).toArray();
        String invalid = task.validate(tokens);
        if (invalid != null) {
            return "invalid sequence: " + invalid;
        }
        if (!Double.isFinite(scored.getLogReward())) {
            return "non-finite log reward " + scored.getLogReward();
        }
        return null;
    }

    private void updateLag() {
        try {
            long total = 0;
            for (TopicPartition tp : consumer.assignment()) {
                Long end = consumer.currentLag(tp).isPresent() ? consumer.currentLag(tp).getAsLong() : null;
                total += end == null ? 0 : end;
            }
            lag.set(total);
        } catch (RuntimeException e) {
            LOG.debug("lag: {}", e.toString());
        }
    }

    /** Next offset to read per partition: what a checkpoint stores. */
    public Map<Integer, Long> nextOffsets() {
        return new HashMap<>(nextOffsets);
    }

    /** Scored candidates of this run added to the replay buffer for the first time. */
    public long consumed() {
        return consumed.get();
    }

    /** Records re-read from before the checkpoint to refill the buffer after a restart. */
    public long replayed() {
        return replayed.get();
    }

    /** Records of other runs that were skipped. */
    public long otherRuns() {
        return otherRuns.get();
    }

    /** Milliseconds from a candidate's creation by a sampler to its consumption here, over the recent window. */
    public LatencyWindow latencies() {
        return latencies;
    }

    /** The part of {@link #latencies()} from creation until the joiner combined the scores. */
    public LatencyWindow latenciesToJoined() {
        return toJoined;
    }

    /** The part of {@link #latencies()} from the join until this reader took the reward in. */
    public LatencyWindow latenciesFromJoined() {
        return fromJoined;
    }

    /** Records in ddpp.rewards not read yet. */
    public long lag() {
        return lag.get();
    }

    public long deadLettered() {
        return deadLetters.total();
    }

    /** Why the reader stopped on its own (the trainer must not train on a frozen buffer), or null while it reads. */
    public Throwable failure() {
        return failure;
    }

    /** Polls that met an unreachable registry and were read again. */
    public long outages() {
        return outages.get();
    }

    /** Binds the reader's consumer metrics to the trainer's meters. */
    void bindMeters(org.ddpp.runtime.RoleMeters meters) {
        meters.bind(consumer);
    }

    @Override
    public void close() {
        if (!running.getAndSet(false) && !thread.isAlive()) {
            return; // closed before
        }
        consumer.wakeup();
        Shutdown.await(thread, Duration.ofSeconds(10));
    }
}

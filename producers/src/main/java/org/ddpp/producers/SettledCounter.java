package org.ddpp.producers;

import org.ddpp.runtime.RewindOnOutage;
import org.ddpp.schemas.registry.RegistryOutageException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.avro.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, on its own thread, the records that settle candidates: scored candidates on the rewards topic and dead
 * letters whose source is the candidates topic. It counts records, not offsets, because the joiner writes both
 * topics in Kafka transactions and every commit adds a control record that takes an offset: offset arithmetic
 * would drift further from the truth with every transaction. Reads with {@code read_committed}, without a
 * consumer group, from the beginning of both topics.
 *
 * <p>For the rewards topic it answers "how many scored candidates lie below the trainer's committed offsets"
 * ({@link #consumedBelow}); for the dead-letter topic "how many candidate records the joiner dead-lettered"
 * ({@link #deadLetteredCandidates}): dead letters of stage {@code joiner:*} whose source is the candidates topic,
 * the joiner's one verdict per candidate record (a scorer also dead-letters a candidate it cannot decode, and the
 * joiner then does too). The same candidate record dead-lettered again (two joiners on the same topics, a joiner
 * that lost its state) counts once when the repeat comes within the last {@link #DEFAULT_DEDUP_WINDOW} distinct
 * candidate dead letters; memory stays bounded by that window, not by the dead-letter topic's history.
 */
public final class SettledCounter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SettledCounter.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String rewards;
    private final String dlq;
    private final String candidates;
    private final Deserializer<DeadLetter> letters;
    private final Map<Integer, Tally> tallies = new ConcurrentHashMap<>();
    /** Distinct candidate dead letters remembered to recognise a repeat; about 100 bytes each. */
    public static final int DEFAULT_DEDUP_WINDOW = 65_536;

    private final RecentKeys recentDead;
    private final java.util.concurrent.atomic.AtomicLong deadCandidates = new java.util.concurrent.atomic.AtomicLong();
    private final Set<String> assignedTopics = new HashSet<>();
    private Map<TopicPartition, Long> catchUp = Map.of();
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    /** Reads {@code rewardsTopic} and {@code dlqTopic} with {@code consumer} (owned and closed by this counter). */
    public SettledCounter(Consumer<byte[], byte[]> consumer, String rewardsTopic, String dlqTopic, String candidatesTopic,
            Deserializer<DeadLetter> letters) {
        this(consumer, rewardsTopic, dlqTopic, candidatesTopic, letters, DEFAULT_DEDUP_WINDOW);
    }

    /** The same, remembering the last {@code dedupWindow} distinct candidate dead letters. */
    SettledCounter(Consumer<byte[], byte[]> consumer, String rewardsTopic, String dlqTopic, String candidatesTopic,
            Deserializer<DeadLetter> letters, int dedupWindow) {
        if (dedupWindow < 1) {
            throw new IllegalArgumentException("dedup window must be at least 1, got " + dedupWindow);
        }
        this.recentDead = new RecentKeys(dedupWindow);
        this.consumer = consumer;
        this.rewards = rewardsTopic;
        this.dlq = dlqTopic;
        this.candidates = candidatesTopic;
        this.letters = letters;
    }

    /** True once both topics were read up to where they ended when the counter first saw them. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Scored candidates below the trainer's committed offsets ({@code committed}: rewards partition → offset).
     * Records the counter has not read yet below a committed offset are estimated by their offset distance.
     */
    public long consumedBelow(Map<Integer, Long> committed) {
        long sum = 0;
        for (Map.Entry<Integer, Long> e : committed.entrySet()) {
            sum += tallies.computeIfAbsent(e.getKey(), p -> new Tally()).consumed(e.getValue());
        }
        return sum;
    }

    /**
     * Scored candidates the counter has read at or above the trainer's committed offsets, as of the last
     * {@link #consumedBelow}: joined and waiting for the trainer to take them.
     */
    public long waitingForTrainer() {
        long sum = 0;
        for (Tally t : tallies.values()) {
            sum += t.waiting();
        }
        return sum;
    }

    /** Candidate records (partition, offset) the joiner dead-lettered, repeats within the window counted once. */
    public long deadLetteredCandidates() {
        return deadCandidates.get();
    }

    /** Candidate dead letters remembered for recognising repeats (at most the window). */
    int remembered() {
        return recentDead.size();
    }

    /** Asks the counter to stop; {@link #run()} returns soon after and closes the consumer. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        long lastTopicCheck = 0;
        long lastErrorLog = 0;
        try {
            while (running) {
                try {
                    if (assignedTopics.size() < 2 && System.nanoTime() - lastTopicCheck > 5_000_000_000L) {
                        lastTopicCheck = System.nanoTime();
                        assignNewTopics();
                    }
                    if (assignedTopics.isEmpty()) {
                        caughtUp = true; // neither topic exists: nothing settled yet
                        Thread.sleep(200);
                        continue;
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    RewindOnOutage.process(consumer, batch, this::count);
                    for (TopicPartition tp : consumer.assignment()) {
                        if (tp.topic().equals(rewards)) {
                            tallies.computeIfAbsent(tp.partition(), p -> new Tally()).readUpTo(consumer.position(tp));
                        }
                    }
                    if (!caughtUp) {
                        caughtUp = catchUp.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (lastErrorLog == 0 || System.nanoTime() - lastErrorLog > 10_000_000_000L) {
                        lastErrorLog = System.nanoTime();
                        LOG.warn("counting settled candidates on {} and {}: {} (retrying every second)", rewards, dlq, e.toString());
                    }
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns the partitions of whichever of the two topics now exists, reading them from the beginning. */
    private void assignNewTopics() {
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : List.of(rewards, dlq)) {
            if (assignedTopics.contains(topic)) {
                continue;
            }
            var parts = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (!parts.isEmpty()) {
                parts.forEach(p -> added.add(new TopicPartition(topic, p.partition())));
                assignedTopics.add(topic);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        all.addAll(added);
        consumer.assign(all);
        consumer.seekToBeginning(added);
        Map<TopicPartition, Long> ends = new java.util.HashMap<>(catchUp);
        ends.putAll(consumer.endOffsets(added));
        catchUp = ends;
        caughtUp = false;
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(rewards)) {
            tallies.computeIfAbsent(record.partition(), p -> new Tally()).record(record.offset());
            return;
        }
        if (record.value() == null) {
            return;
        }
        try {
            DeadLetter letter = letters.deserialize(record.topic(), record.headers(), record.value());
            if (candidates.equals(letter.getSourceTopic()) && letter.getStage().startsWith("joiner:")
                    && recentDead.add(((long) letter.getSourcePartition() << 48) | letter.getSourceOffset())) {
                deadCandidates.incrementAndGet();
            }
        } catch (RuntimeException e) {
            if (RegistryOutageException.isCause(e)) {
                throw new RegistryOutageException("schema registry unavailable while decoding a dead letter: " + e.getMessage(), e);
            }
            LOG.debug("dead letter {}-{}@{} does not decode; not counted: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    /** The last {@code capacity} distinct keys, oldest forgotten first; used by the counter's thread only. */
    static final class RecentKeys {
        private final java.util.LinkedHashMap<Long, Boolean> keys;
        private volatile int size;

        RecentKeys(int capacity) {
            this.keys = new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** True when {@code key} is not among the remembered keys (it is remembered from now on). */
        boolean add(long key) {
            boolean added = keys.putIfAbsent(key, Boolean.TRUE) == null;
            size = keys.size();
            return added;
        }

        int size() {
            return size;
        }
    }

    /**
     * One rewards partition: data records below the highest committed offset seen ({@code floor}) are counted in
     * {@code below}; offsets of data records at or above it wait in a queue until the trainer commits past them.
     */
    static final class Tally {
        private long floor;
        private long below;
        private long position;
        private long[] pending = new long[64];
        private int head;
        private int size;

        synchronized void record(long offset) {
            if (offset < floor) {
                below++;
                return;
            }
            if (head + size == pending.length) {
                if (size * 2 < pending.length) {
                    System.arraycopy(pending, head, pending, 0, size);
                } else {
                    long[] bigger = new long[pending.length * 2];
                    System.arraycopy(pending, head, bigger, 0, size);
                    pending = bigger;
                }
                head = 0;
            }
            pending[head + size++] = offset;
        }

        synchronized int waiting() {
            return size;
        }

        synchronized void readUpTo(long nextOffset) {
            position = Math.max(position, nextOffset);
        }

        /**
         * Data records below {@code committed}; the part below it the counter has not read yet is estimated by
         * offset distance. A committed offset below an earlier one (a trainer resumed from an older checkpoint)
         * is estimated the same way.
         */
        synchronized long consumed(long committed) {
            if (committed > floor) {
                while (size > 0 && pending[head] < committed) {
                    head++;
                    size--;
                    below++;
                }
                floor = committed;
            }
            long unread = Math.max(0, floor - position);
            long rewound = Math.max(0, floor - committed);
            return Math.max(0, below + unread - rewound);
        }
    }
}

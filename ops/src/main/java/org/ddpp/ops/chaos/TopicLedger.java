package org.ddpp.ops.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.RegistryOutageException;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * What the topics say about one run, read incrementally with {@code read_committed} as the chaos run goes: every
 * candidate's verdicts (rewards and the joiner's dead letters), the policy versions with their sha256, the
 * dead letters that name a poison record as their source, and per rewards partition the offsets of the records the
 * trainer counts as consumed. {@link #catchUp()} reads to the current ends; {@link #violations()} lists each broken
 * safety invariant once; {@link #missing()} the candidates without a verdict (a violation only after the final
 * drain).
 */
final class TopicLedger implements AutoCloseable {

    /** Thrown when the cluster or the registry cannot be read right now (not a violation: try again). */
    static final class NotReady extends Exception {
        NotReady(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String run;
    private final ClusterConnection connection;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Candidate> candidates;
    private final Deserializer<ScoredCandidate> rewards;
    private final Deserializer<DeadLetter> deadLetters;
    private final Deserializer<PolicyUpdate> policies;
    private final GridTask task = new GridTask();

    private final Map<String, Integer> published = new HashMap<>();
    private final Map<String, Integer> rewarded = new HashMap<>();
    private final Map<String, Integer> verdicts = new HashMap<>();
    private final Map<Long, String> versions = new HashMap<>();
    private final Map<Integer, long[]> trainable = new HashMap<>();
    private final Map<Integer, Integer> trainableCount = new HashMap<>();
    private final Map<String, Set<String>> poisonStages = new HashMap<>();
    private final Set<String> injected = new HashSet<>();
    private final Set<String> touched = new HashSet<>();
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private long newestRewardedCreatedAt;
    private final Map<String, Long> newestRewardedBySampler = new HashMap<>();
    private long deadLetterTotal;
    private long policyRecords;

    /** @param registry a registry cache holding every value schema already, so decoding needs no registry later */
    TopicLedger(ClusterConnection connection, CachedSchemaRegistry registry, String run) {
        this.run = run;
        this.connection = connection;
        this.candidates = Topics.CANDIDATES.valueSerde(registry, false).deserializer();
        this.rewards = Topics.REWARDS.valueSerde(registry, false).deserializer();
        this.deadLetters = Topics.DLQ.valueSerde(registry, false).deserializer();
        this.policies = Topics.POLICY.valueSerde(registry, false).deserializer();
        Map<String, Object> props = connection.consumerProperties("ddpp-chaos-ledger");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ddpp-chaos-ledger-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(connection.topics().candidates(), connection.topics().rewards(),
                connection.topics().dlq(), connection.topics().policy())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    /** Marks a poison record: it is no candidate, reward or version of the run, and its dead letters are watched. */
    void expect(PoisonRecords.Injected poison) {
        String at = coordinate(poison.topic(), poison.partition(), poison.offset());
        injected.add(at);
        poisonStages.putIfAbsent(at, new TreeSet<>());
    }

    /** The stages that dead-lettered the poison record so far. */
    Set<String> stagesOf(PoisonRecords.Injected poison) {
        return poisonStages.getOrDefault(coordinate(poison.topic(), poison.partition(), poison.offset()), Set.of());
    }

    /** Reads every topic to the end it has now (rewards' ends are taken before the candidates', see below). */
    void catchUp() throws NotReady {
        try {
            List<TopicPartition> first = new ArrayList<>();
            List<TopicPartition> later = new ArrayList<>();
            for (TopicPartition tp : consumer.assignment()) {
                (tp.topic().equals(connection.topics().candidates()) ? later : first).add(tp);
            }
            // A reward is written after its candidate, so every reward below these ends has its candidate below
            // the candidates' ends taken afterwards.
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(first, Duration.ofSeconds(15)));
            ends.putAll(consumer.endOffsets(later, Duration.ofSeconds(15)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new NotReady("could not read the topics to their ends within 60 s", null);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                Map<TopicPartition, Long> firstUnread = new HashMap<>();
                try {
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        firstUnread.putIfAbsent(tp, r.offset());
                        take(r);
                        firstUnread.put(tp, r.offset() + 1);
                    }
                } catch (RegistryOutageException e) {
                    // read the rest of the batch again once the registry answers
                    for (TopicPartition tp : batch.partitions()) {
                        List<ConsumerRecord<byte[], byte[]>> rs = batch.records(tp);
                        consumer.seek(tp, firstUnread.getOrDefault(tp, rs.get(0).offset()));
                    }
                    throw new NotReady("schema registry unavailable: " + e.getMessage(), e);
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new NotReady("Kafka: " + e, e);
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        String at = coordinate(r.topic(), r.partition(), r.offset());
        if (injected.contains(at)) {
            return;
        }
        String topic = r.topic();
        if (topic.equals(connection.topics().candidates())) {
            Candidate c = decode(candidates, r, at);
            if (c != null && run.equals(c.getRun())) {
                if (published.merge(c.getId(), 1, Integer::sum) > 1) {
                    violation("candidate-id-twice", "candidate " + c.getId() + " was published twice (last at " + at + ")");
                }
            }
        } else if (topic.equals(connection.topics().rewards())) {
            ScoredCandidate s = decode(rewards, r, at);
            if (s != null && run.equals(s.getCandidate().getRun())) {
                String id = s.getCandidate().getId();
                rewarded.merge(id, 1, Integer::sum);
                long created = s.getCandidate().getCreatedAt().toEpochMilli();
                newestRewardedCreatedAt = Math.max(newestRewardedCreatedAt, created);
                newestRewardedBySampler.merge(s.getCandidate().getSamplerId(), created, Math::max);
                touched.add(id);
                if (trainerTakes(s)) {
                    long[] offsets = trainable.computeIfAbsent(r.partition(), p -> new long[1024]);
                    int n = trainableCount.getOrDefault(r.partition(), 0);
                    if (n == offsets.length) {
                        offsets = Arrays.copyOf(offsets, n * 2);
                        trainable.put(r.partition(), offsets);
                    }
                    offsets[n] = r.offset();
                    trainableCount.put(r.partition(), n + 1);
                }
            }
        } else if (topic.equals(connection.topics().dlq())) {
            deadLetterTotal++;
            DeadLetter d = decode(deadLetters, r, at);
            if (d == null) {
                return;
            }
            String source = coordinate(d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset());
            Set<String> stages = poisonStages.get(source);
            if (stages != null) {
                stages.add(d.getStage());
            }
            if (d.getStage().startsWith("joiner:") && r.key() != null) {
                String id = new String(r.key(), StandardCharsets.UTF_8);
                verdicts.merge(id, 1, Integer::sum);
                touched.add(id);
            }
        } else if (topic.equals(connection.topics().policy())) {
            PolicyUpdate u = decode(policies, r, at);
            if (u != null && run.equals(u.getRun())) {
                policyRecords++;
                String before = versions.putIfAbsent(u.getVersion(), u.getSha256());
                if (before != null && !before.equals(u.getSha256())) {
                    violation("policy-version-reused", "policy version " + u.getVersion() + " announced with sha256 "
                            + before + " and again with " + u.getSha256() + " (at " + at + ")");
                }
            }
        }
    }

    /** The trainer's own rule for a scored candidate it trains on (RewardStreamReader: task, sequence, finite log R). */
    private boolean trainerTakes(ScoredCandidate s) {
        Candidate c = s.getCandidate();
        int[] tokens = c.getTokens().stream().mapToInt(Integer::intValue).toArray();
        return task.name().equals(c.getTask()) && task.validate(tokens) == null && Double.isFinite(s.getLogReward());
    }

    private <T> T decode(Deserializer<T> deserializer, ConsumerRecord<byte[], byte[]> r, String at) {
        try {
            return deserializer.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            if (RegistryOutageException.isCause(e)) {
                throw new RegistryOutageException(e.getMessage(), e);
            }
            violation("undecodable-record", "a record nobody injected does not decode at " + at + ": " + e.getMessage());
            return null;
        }
    }

    /** Checks the candidates touched since the last call: each has at most one verdict, and only a known one. */
    void checkVerdicts() {
        for (String id : touched) {
            int r = rewarded.getOrDefault(id, 0);
            int d = published.containsKey(id) ? verdicts.getOrDefault(id, 0) : 0;
            if (r > 0 && !published.containsKey(id)) {
                violation("reward-without-candidate", "reward for " + id + ", which no sampler published");
            }
            if (r > 1) {
                violation("duplicate-reward", "candidate " + id + " has " + r + " rewards");
            }
            if (d > 1) {
                violation("duplicate-dead-letter", "candidate " + id + " has " + d + " joiner dead letters");
            }
            if (r > 0 && d > 0) {
                violation("reward-and-dead-letter", "candidate " + id + " has a reward and a joiner dead letter");
            }
        }
        touched.clear();
    }

    /** Candidates of the run without a reward or joiner dead letter yet. */
    List<String> missing() {
        List<String> out = new ArrayList<>();
        for (String id : published.keySet()) {
            if (!rewarded.containsKey(id) && !verdicts.containsKey(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Records the trainer takes in (decodable, of the run, valid, finite) with offsets in [from, to) per partition. */
    long trainable(Map<Integer, Long> from, Map<Integer, Long> to) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : to.entrySet()) {
            long[] offsets = trainable.get(e.getKey());
            if (offsets == null) {
                continue;
            }
            int count = trainableCount.get(e.getKey());
            long lo = from.getOrDefault(e.getKey(), 0L);
            n += Math.max(0, lowerBound(offsets, count, e.getValue()) - lowerBound(offsets, count, lo));
        }
        return n;
    }

    private static int lowerBound(long[] a, int n, long key) {
        int i = Arrays.binarySearch(a, 0, n, key);
        return i >= 0 ? i : -i - 1;
    }

    void violation(String kind, String detail) {
        if (reported.add(kind + "|" + detail)) {
            violations.add(new Violation(kind, detail));
        }
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    int candidates() {
        return published.size();
    }

    int rewards() {
        return rewarded.size();
    }

    int joinerDeadLetters() {
        int n = 0;
        for (String id : verdicts.keySet()) {
            n += published.containsKey(id) ? 1 : 0;
        }
        return n;
    }

    /** When the newest candidate that has a reward was sampled (epoch ms): the whole loop worked after that moment. */
    long newestRewardedCreatedAt() {
        return newestRewardedCreatedAt;
    }

    /** The same for the candidates of one sampler id (0 when it has none rewarded yet). */
    long newestRewardedCreatedAt(String samplerId) {
        return newestRewardedBySampler.getOrDefault(samplerId, 0L);
    }

    long deadLetterRecords() {
        return deadLetterTotal;
    }

    int versions() {
        return versions.size();
    }

    long policyRecords() {
        return policyRecords;
    }

    private static String coordinate(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** One broken invariant. */
    record Violation(String kind, String detail) {}
}

package org.ddpp.ops.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * Where every candidate of a run ended up: reads {@code ddpp.candidates}, {@code ddpp.rewards} and
 * {@code ddpp.dlq} to their current ends and checks the pipeline's accounting invariant — each published candidate
 * appears exactly once, either as a {@code ScoredCandidate} or as a dead letter, never both and never twice.
 */
public final class RunAccounting {

    /** What the topics hold for one run. */
    public record Report(
            int candidates,
            int scored,
            int deadLettered,
            int duplicatesScored,
            int duplicatesDeadLettered,
            int scoredAndDeadLettered,
            int unaccounted,
            int unknownScored) {

        /** True when every candidate is accounted for exactly once. */
        public boolean exact() {
            return duplicatesScored == 0 && duplicatesDeadLettered == 0 && scoredAndDeadLettered == 0
                    && unaccounted == 0 && unknownScored == 0;
        }

        /** Candidates still on their way (scored or dead-lettered later). */
        public int inFlight() {
            return unaccounted;
        }
    }

    private final org.ddpp.runtime.ClusterConnection connection;
    private final CachedSchemaRegistry registry;

    public RunAccounting(org.ddpp.runtime.ClusterConnection connection, CachedSchemaRegistry registry) {
        this.connection = connection;
        this.registry = registry;
    }

    /** Reads the three topics to their ends and compares them for {@code run}. */
    public Report of(String run) {
        Deserializer<Candidate> candidates = Topics.CANDIDATES.valueSerde(registry, false).deserializer();
        Deserializer<ScoredCandidate> rewards = Topics.REWARDS.valueSerde(registry, false).deserializer();
        Set<String> published = new HashSet<>();
        readAll(connection.topics().candidates(), r -> {
            try {
                Candidate c = candidates.deserialize(r.topic(), r.headers(), r.value());
                if (run.equals(c.getRun())) {
                    published.add(c.getId());
                }
            } catch (RuntimeException e) {
                // undecodable records are the dead-letter topic's business, not a candidate of this run
            }
        });
        Map<String, Integer> scored = new HashMap<>();
        readAll(connection.topics().rewards(), r -> {
            try {
                ScoredCandidate s = rewards.deserialize(r.topic(), r.headers(), r.value());
                if (run.equals(s.getCandidate().getRun())) {
                    scored.merge(s.getCandidate().getId(), 1, Integer::sum);
                }
            } catch (RuntimeException e) {
                // as above
            }
        });
        Map<String, Integer> dead = new HashMap<>();
        readAll(connection.topics().dlq(), r -> {
            if (r.key() != null) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (published.contains(key) && isJoinerVerdict(r)) {
                    dead.merge(key, 1, Integer::sum);
                }
            }
        });
        int dupScored = 0;
        int unknown = 0;
        for (Map.Entry<String, Integer> e : scored.entrySet()) {
            dupScored += e.getValue() - 1;
            unknown += published.contains(e.getKey()) ? 0 : 1;
        }
        int dupDead = 0;
        int both = 0;
        for (Map.Entry<String, Integer> e : dead.entrySet()) {
            dupDead += e.getValue() - 1;
            both += scored.containsKey(e.getKey()) ? 1 : 0;
        }
        int unaccounted = 0;
        for (String id : published) {
            if (!scored.containsKey(id) && !dead.containsKey(id)) {
                unaccounted++;
            }
        }
        return new Report(published.size(), scored.size(), dead.size(), dupScored, dupDead, both, unaccounted, unknown);
    }

    /**
     * True for the joiner's dead letters (stage {@code joiner:*}): the one verdict per candidate. Scorers also
     * dead-letter records they cannot decode and the trainer those it cannot train on; those are not outcomes.
     */
    private boolean isJoinerVerdict(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Topics.DLQ.valueSerde(registry, false).deserializer().deserialize(r.topic(), r.headers(), r.value())
                    .getStage().startsWith("joiner:");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> props = connection.consumerProperties("ddpp-accounting");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ddpp-accounting-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 2 minutes");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}

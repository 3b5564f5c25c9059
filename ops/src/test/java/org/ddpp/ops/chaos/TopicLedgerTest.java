package org.ddpp.ops.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.TestStack;
import org.junit.jupiter.api.Test;

/**
 * The chaos run's checks must see what they look for: on topics written by hand, the ledger reports a duplicate
 * reward, a reward next to a joiner dead letter, a reward without a candidate, a policy version with two sha256 and
 * a record nobody injected that does not decode; it lists the candidate without a verdict; it skips injected poison
 * and counts the trainable rewards between offsets as the trainer does.
 */
class TopicLedgerTest {

    private static final String RUN = "ledger";

    @Test
    void reportsEveryBrokenInvariantOnceAndOnlyThose() throws Exception {
        TestStack stack = TestStack.get();
        ClusterConnection connection = stack.connection(TopicNames.isolated("", "-" + UUID.randomUUID().toString().substring(0, 8)));
        connection.createMissingTopics();
        CachedSchemaRegistry registry = stack.cache();
        String[] ids = {"c1", "c2", "c3", "c4"};
        try (KafkaProducer<byte[], byte[]> producer = stack.producer();
                TopicLedger ledger = new TopicLedger(connection, registry, RUN)) {
            String candidates = connection.topics().candidates();
            String rewards = connection.topics().rewards();
            for (String id : ids) {
                send(producer, candidates, id, Topics.CANDIDATES.valueSerde(registry, true).serializer().serialize(candidates, candidate(id)));
            }
            byte[] ok = reward("c1", 0.0, registry, rewards);
            send(producer, rewards, "c1", ok);
            send(producer, rewards, "c2", reward("c2", -1.0, registry, rewards));
            send(producer, rewards, "c2", reward("c2", -1.0, registry, rewards));
            send(producer, rewards, "c3", reward("c3", Double.NaN, registry, rewards));
            send(producer, rewards, "c5", reward("c5", 0.0, registry, rewards));
            RecordMetadata poison = send(producer, rewards, "p", new byte[] {0, 0, 0, 0, 1});
            send(producer, rewards, "q", new byte[] {42});
            DeadLetter timeout = DeadLetter.newBuilder().setKey(null).setValue(null).setHeaders(List.of()).setSourceTopic(candidates)
                    .setSourcePartition(0).setSourceOffset(2).setStage("joiner:timeout").setReason("test").setExceptionClass(null)
                    .setFailedAt(Instant.now()).build();
            String dlq = connection.topics().dlq();
            send(producer, dlq, "c3", Topics.DLQ.valueSerde(registry, true).serializer().serialize(dlq, timeout));
            String policy = connection.topics().policy();
            for (String[] v : new String[][] {{"1", "aa"}, {"1", "aa"}, {"2", "bb"}, {"2", "cc"}}) {
                send(producer, policy, RUN, Topics.POLICY.valueSerde(registry, true).serializer().serialize(policy, update(Long.parseLong(v[0]), v[1])));
            }
            ledger.expect(new PoisonRecords.Injected(rewards, poison.partition(), poison.offset(), "p", "test poison", Set.of()));
            ledger.catchUp();
            ledger.checkVerdicts();

            Set<String> kinds = new TreeSet<>();
            ledger.violations().forEach(v -> kinds.add(v.kind()));
            assertEquals(Set.of("duplicate-reward", "reward-and-dead-letter", "reward-without-candidate", "policy-version-reused",
                    "undecodable-record"), kinds, ledger.violations().toString());
            assertEquals(5, ledger.violations().size(), ledger.violations().toString());
            assertEquals(List.of("c4"), ledger.missing());
            assertEquals(2, ledger.versions());
            // c1, c2 twice and c5 are trainable (c3's reward is NaN); the undecodable ones are not
            long all = ledger.trainable(Map.of(), Map.of(0, Long.MAX_VALUE, 1, Long.MAX_VALUE, 2, Long.MAX_VALUE, 3, Long.MAX_VALUE));
            assertEquals(4, all);
        }
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static Candidate candidate(String id) {
        return Candidate.newBuilder().setId(id).setRun(RUN).setTask("grid").setTokens(List.of(70, 70)).setText("(70, 70)")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1).setCreatedAt(Instant.now()).build();
    }

    private static byte[] reward(String id, double logR, CachedSchemaRegistry registry, String topic) {
        ScoredCandidate s = ScoredCandidate.newBuilder().setCandidate(candidate(id)).setLogReward(logR).setComponents(List.of())
                .setJoinedAt(Instant.now()).build();
        return Topics.REWARDS.valueSerde(registry, true).serializer().serialize(topic, s);
    }

    private static PolicyUpdate update(long version, String sha) {
        return PolicyUpdate.newBuilder().setRun(RUN).setVersion(version).setStep(version * 10).setUri("http://127.0.0.1:1/v" + version)
                .setSha256(sha).setSizeBytes(1).setCreatedAt(Instant.now()).setDetails(Map.of()).build();
    }
}

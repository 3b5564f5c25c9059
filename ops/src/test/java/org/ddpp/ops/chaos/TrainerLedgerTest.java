package org.ddpp.ops.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ai.djl.ndarray.NDManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's accounting check sees a wrong intake: after a clean stop the count the trainer logs as consumed must
 * equal the trainable rewards between where it resumed and its final checkpoint; one less is a violation, the right
 * count after a restart from that checkpoint is none.
 */
class TrainerLedgerTest {

    private static final String RUN = "trainer-ledger";

    @TempDir Path dir;

    @Test
    void aLoggedIntakeThatDiffersFromTheRewardLogIsAViolation() throws Exception {
        TestStack stack = TestStack.get();
        ClusterConnection connection = stack.connection(TopicNames.isolated("", "-" + UUID.randomUUID().toString().substring(0, 8)));
        connection.createMissingTopics();
        CachedSchemaRegistry registry = stack.cache();
        String rewards = connection.topics().rewards();
        String group = connection.topics().trainerGroup(RUN);
        Path log = dir.resolve("trainer.log");
        Files.writeString(log, "");
        try (KafkaProducer<byte[], byte[]> producer = stack.producer();
                Admin admin = connection.admin("test");
                TopicLedger topics = new TopicLedger(connection, registry, RUN)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(rewards, 0, null, Topics.REWARDS.valueSerde(registry, true).serializer()
                        .serialize(rewards, reward("r" + i)))).get();
            }
            topics.catchUp();
            TrainerLedger trainer = new TrainerLedger(dir, log, group, rewards, 64, 40, 16);

            trainer.starting(topics, admin); // no checkpoint, no committed offsets: from the beginning
            checkpoint("0:3");
            Files.writeString(log, "12:00:00.000 INFO  OnlineTrainer - trainer " + RUN
                    + " stopped at step 10 (policy version 1, 2 candidates consumed, 0 dead letters)\n", StandardOpenOption.APPEND);
            trainer.stoppedCleanly(topics);
            assertEquals(List.of("trainer-applied-mismatch"), topics.violations().stream().map(TopicLedger.Violation::kind).toList(),
                    topics.violations().toString());

            trainer.starting(topics, admin); // resumes at 0:3, where it stopped
            Files.writeString(log, "12:01:00.000 INFO  OnlineTrainer - trainer " + RUN
                    + " stopped at step 12 (policy version 1, 0 candidates consumed, 0 dead letters)\n", StandardOpenOption.APPEND);
            trainer.stoppedCleanly(topics);
            assertEquals(1, topics.violations().size(), topics.violations().toString());
            assertEquals(2, trainer.incarnations());
        }
    }

    private void checkpoint(String offsets) throws Exception {
        try (NDManager root = NDManager.newBaseManager();
                Mdm model = Mdm.create(new GridTask(), NetworkShape.of(16, 1, 2), 1L, root)) {
            Checkpoint.writer(dir.resolve("checkpoint"), new GridTask()).setPolicy(model).optExtra("offsets", offsets).write();
        }
    }

    private static ScoredCandidate reward(String id) {
        Candidate c = Candidate.newBuilder().setId(id).setRun(RUN).setTask("grid").setTokens(List.of(70, 70)).setText("(70, 70)")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1).setCreatedAt(Instant.now()).build();
        return ScoredCandidate.newBuilder().setCandidate(c).setLogReward(0.0).setComponents(List.of()).setJoinedAt(Instant.now()).build();
    }
}

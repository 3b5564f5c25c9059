package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.ConnectionSettings;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.testkit.EmbeddedKafka;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward reader's group commit is repeated until the group holds it, even when no new record arrives: the
 * samplers' flow control reads those offsets, and a commit lost while a broker was away would otherwise hold them
 * paused for good. Here the commits are refused by an ACL (a DENY on the trainer's group) while the reader takes in
 * every record; once the ACL is removed, the group's offsets reach the reader's position with nothing new to read.
 */
class ReaderCommitRetryTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedCommitIsRepeatedWithoutNewRecords() throws Exception {
        String adminPassword = HexFormat.of().formatHex(SecureRandom.getSeed(12));
        String trainerPassword = HexFormat.of().formatHex(SecureRandom.getSeed(12));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(dir.resolve("kafka"))
                .optSaslPlainUsers(Map.of("admin", adminPassword, "trainer", trainerPassword))
                .optBrokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // the broker itself, the controller listener (plaintext, anonymous) and the test's admin
                .optBrokerProperty("super.users", "User:ddpp_broker;User:ANONYMOUS;User:admin")
                .optBrokerProperty("allow.everyone.if.no.acl.found", "true")
                .start()) {
            String registry = TestStack.get().registry.url();
            ClusterConnection admin = connection(kafka, "admin", adminPassword, registry);
            ClusterConnection trainer = connection(kafka, "trainer", trainerPassword, registry);
            admin.createMissingTopics();
            String run = "commit-retry-" + UUID.randomUUID().toString().substring(0, 8);
            OnlineTrainerConfig config = OnlineTrainerConfig.builder().setRun(run).setConnection(trainer)
                    .setPretrained(dir.resolve("unused")).setStateDir(dir.resolve("state")).build();
            String rewards = trainer.topics().rewards();
            ResourcePattern group = new ResourcePattern(ResourceType.GROUP, config.groupId(), PatternType.LITERAL);
            AclBinding deny = new AclBinding(group, new AccessControlEntry("User:trainer", "*", AclOperation.READ, AclPermissionType.DENY));
            try (Admin acls = Admin.create(admin.adminProperties("acl-test"));
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(admin.producerProperties("commit-retry-test"),
                            new ByteArraySerializer(), new ByteArraySerializer());
                    KafkaProducer<byte[], byte[]> letters = new KafkaProducer<>(trainer.producerProperties("commit-retry-dlq"),
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                RewardStreamReader reader = new RewardStreamReader(config, new GridTask(), new MixedReplay(1_000, 0.5),
                        trainer.cachedRegistry(), new DeadLetterPublisher(letters, trainer.cachedRegistry()), Map.of(), 0,
                        () -> Long.MAX_VALUE);
                acls.createAcls(List.of(deny)).all().get();
                reader.start();
                try {
                    Serde<ScoredCandidate> serde = Topics.REWARDS.valueSerde(trainer.cachedRegistry(), true);
                    for (int i = 0; i < 20; i++) {
                        ScoredCandidate sc = scored(run, i);
                        producer.send(new ProducerRecord<>(rewards, sc.getCandidate().getId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                serde.serializer().serialize(rewards, sc)));
                    }
                    producer.flush();
                    Wait.atMost(Duration.ofSeconds(30), Duration.ofMillis(100)).until(() -> reader.consumed() == 20);
                    Thread.sleep(2_000); // several commit attempts, all refused
                    assertEquals(0, committed(acls, config.groupId()), "the ACL refuses the group's commits");

                    acls.deleteAcls(List.of(deny.toFilter())).all().get();
                    long position = reader.nextOffsets().values().stream().mapToLong(Long::longValue).sum();
                    assertTrue(position >= 20, "position " + position);
                    Wait.atMost(Duration.ofSeconds(20), Duration.ofMillis(200))
                            .until(() -> committed(acls, config.groupId()) == position);
                    assertEquals(20, reader.consumed(), "nothing new was read: the commit was repeated on its own");
                } finally {
                    reader.close();
                }
            }
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static ClusterConnection connection(EmbeddedKafka kafka, String user, String password, String registry) {
        Map<String, String> props = new LinkedHashMap<>(EmbeddedKafka.saslPlainClient(user, password));
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("schema.registry.url", registry);
        return ConnectionSettings.fromProperties(props);
    }

    private static ScoredCandidate scored(String run, int i) {
        Candidate c = Candidate.newBuilder().setId(run + "/" + i).setRun(run).setTask("grid").setTokens(List.of(70, i))
                .setText("(70, " + i + ")").setPolicyVersion(0).setSource(CandidateSource.POLICY)
                .setSamplerId("test").setSeed(0).setCreatedAt(Instant.now()).build();
        return ScoredCandidate.newBuilder().setCandidate(c).setLogReward(0.0).setComponents(List.of()).setJoinedAt(Instant.now()).build();
    }
}

package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.registry.RegisteredSchema;
import org.ddpp.schemas.registry.SchemaRegistry;
import org.ddpp.schemas.registry.SchemaRegistryException;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.runtime.TopicNames;
import org.junit.jupiter.api.Test;

/** A registry outage fails the joiner's task instead of dead-lettering good records. */
class RegistryOutageTopologyTest {

    /** The in-memory registry, unreachable while {@code down}. */
    private static final class FlakyRegistry implements SchemaRegistry {
        final InMemorySchemaRegistry inner = new InMemorySchemaRegistry();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "connection refused");
            }
        }

        @Override
        public int register(String subject, String schema) {
            check();
            return inner.register(subject, schema);
        }

        @Override
        public RegisteredSchema lookup(String subject, String schema) {
            check();
            return inner.lookup(subject, schema);
        }

        @Override
        public String schemaById(int id) {
            check();
            return inner.schemaById(id);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            check();
            return inner.latest(subject);
        }
    }

    @Test
    void anUnreachableRegistryIsRetriedNotDeadLettered() throws Exception {
        FlakyRegistry flaky = new FlakyRegistry();
        AvroSerializer<Candidate> writer = new AvroSerializer<>(new CachedSchemaRegistry(flaky.inner), true, false);
        JoinerConfig config = JoinerConfig.builder().setConnection(org.ddpp.runtime.ClusterConnection.local("unused:9092", "http://unused"))
                .opt(JoinerSettings.APPLICATION_ID, "joiner-outage-test").opt(JoinerSettings.IN_MEMORY_STATE, true)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("joiner-outage")).build();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RewardJoiner.topology(config, new CachedSchemaRegistry(flaky), new JoinerMeters(org.ddpp.runtime.RoleMeters.standalone("joiner", "test"))),
                RewardJoiner.streamsProperties(config), Instant.parse("2026-01-01T00:00:00Z"))) {
            TestInputTopic<byte[], byte[]> candidates = driver.createInputTopic(TopicNames.DEFAULT.candidates(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TopicNames.DEFAULT.dlq(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            Candidate candidate = Candidate.newBuilder().setId("c1").setRun("r").setTask("grid").setTokens(List.of(1, 2))
                    .setText("").setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1)
                    .setCreatedAt(Instant.EPOCH).build();
            byte[] value = writer.serialize(TopicNames.DEFAULT.candidates(), candidate);
            flaky.down = true;
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> candidates.pipeInput("c1".getBytes(StandardCharsets.UTF_8), value));
            assertTrue(String.valueOf(failure.getCause()).contains("connection refused") || failure.toString().contains("connection refused"),
                    failure.toString());
            assertEquals(0, dlq.getQueueSize(), "a good record must not be dead-lettered during an outage");
        }
    }
}

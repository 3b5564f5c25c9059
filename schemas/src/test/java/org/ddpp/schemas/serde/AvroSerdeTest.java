package org.ddpp.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.ddpp.schemas.Samples;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.registry.RegisteredSchema;
import org.ddpp.schemas.registry.SchemaRegistry;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final CachedSchemaRegistry cache = new CachedSchemaRegistry(registry);

    @Test
    void writesTheConfluentWireFormatAndReadsItBack() {
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(cache, true, false);
        byte[] bytes = serializer.serialize("ddpp.candidates", Samples.candidate("c-1"));
        assertEquals(0, bytes[0]);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(registry.latest("ddpp.candidates-value").id(), id);
        Candidate back = new AvroDeserializer<>(cache, Candidate.class).deserialize("ddpp.candidates", bytes);
        assertEquals(Samples.candidate("c-1"), back);
        Score score = new AvroDeserializer<>(cache, Score.class)
                .deserialize("ddpp.scores", new AvroSerializer<Score>(cache, true, false).serialize("ddpp.scores", Samples.score("c-1")));
        assertEquals(Samples.score("c-1"), score);
        assertNull(serializer.serialize("ddpp.candidates", null));
    }

    @Test
    void asksTheRegistryOncePerSchemaNotPerRecord() {
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistry counting = new SchemaRegistry() {
            public int register(String subject, String schema) { calls.incrementAndGet(); return registry.register(subject, schema); }
            public RegisteredSchema lookup(String subject, String schema) { calls.incrementAndGet(); return registry.lookup(subject, schema); }
            public String schemaById(int id) { calls.incrementAndGet(); return registry.schemaById(id); }
            public RegisteredSchema latest(String subject) { calls.incrementAndGet(); return registry.latest(subject); }
        };
        CachedSchemaRegistry cached = new CachedSchemaRegistry(counting);
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(cached, true, false);
        AvroDeserializer<Candidate> deserializer = new AvroDeserializer<>(new CachedSchemaRegistry(counting), Candidate.class);
        for (int i = 0; i < 50; i++) {
            deserializer.deserialize("t", serializer.serialize("t", Samples.candidate("c-" + i)));
        }
        assertEquals(2, calls.get());
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsAndARegisteredOneIsFound() {
        AvroSerializer<Candidate> strict = new AvroSerializer<>(new CachedSchemaRegistry(registry), false, false);
        SerializationException e = assertThrows(SerializationException.class, () -> strict.serialize("t", Samples.candidate("x")));
        assertTrue(e.getMessage().contains("t-value"), e.getMessage());
        registry.register("t-value", Candidate.getClassSchema().toString());
        assertEquals(0, strict.serialize("t", Samples.candidate("x"))[0]);
    }

    @Test
    void keysUseTheKeySubject() {
        new AvroSerializer<Candidate>(cache, true, true).serialize("t", Samples.candidate("k"));
        assertEquals(Candidate.getClassSchema().toString(), registry.latest("t-key").schema());
    }

    @Test
    void aRecordWrittenWithAnOlderCompatibleSchemaReadsIntoTheNewerClass() throws Exception {
        // the Candidate schema before 'source' and 'rewardConfigVersion' existed: the reader fills the defaults
        Schema current = Candidate.getClassSchema();
        List<Schema.Field> older = current.getFields().stream()
                .filter(f -> !f.name().equals("source") && !f.name().equals("rewardConfigVersion"))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        Schema oldSchema = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, older);
        GenericRecord old = new GenericData.Record(oldSchema);
        Candidate sample = Samples.candidate("old-1");
        old.put("id", "old-1");
        old.put("run", sample.getRun());
        old.put("task", sample.getTask());
        old.put("tokens", sample.getTokens());
        old.put("text", sample.getText());
        old.put("policyVersion", 3L);
        old.put("samplerId", "s");
        old.put("seed", 1L);
        old.put("createdAt", 5L);
        byte[] bytes = new AvroSerializer<GenericRecord>(cache, true, false).serialize("evolve", old);
        Candidate read = new AvroDeserializer<>(cache, Candidate.class).deserialize("evolve", bytes);
        assertEquals(CandidateSource.POLICY, read.getSource());
        assertEquals(0L, read.getRewardConfigVersion(), "never steered");
        assertEquals("old-1", read.getId());
        assertEquals(3L, read.getPolicyVersion());
        GenericRecord generic = new AvroDeserializer<GenericRecord>(cache, null).deserialize("evolve", bytes);
        assertEquals(oldSchema, generic.getSchema());
    }

    @Test
    void badBytesFailWithAReadableReason() throws Exception {
        AvroDeserializer<Candidate> deserializer = new AvroDeserializer<>(cache, Candidate.class);
        byte[] good = new AvroSerializer<Candidate>(cache, true, false).serialize("t", Samples.candidate("c"));

        assertTrue(fail(deserializer, new byte[] {0x7f, 1, 2, 3, 4, 5}).contains("unknown magic byte 0x7f"));
        assertTrue(fail(deserializer, new byte[] {0, 1}).contains("shorter than the 5-byte"));
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 9999);
        assertTrue(fail(deserializer, unknownId).contains("schema id 9999 is unknown"));
        assertTrue(fail(deserializer, Arrays.copyOf(good, good.length - 3)).contains("truncated Avro payload"));
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertTrue(fail(deserializer, trailing).contains("trailing bytes"));
    }

    @Test
    void configuredByClassNameLikeAnyKafkaSerde() {
        AvroSerializer<Candidate> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                SerdeConfig.MAX_RETRIES, "0"), false);
        SerializationException e = assertThrows(SerializationException.class, () -> serializer.serialize("t", Samples.candidate("c")));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        SerdeConfig config = new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://h:1",
                SerdeConfig.READER_CLASS, Candidate.class.getName(), SerdeConfig.BASIC_AUTH_USER_INFO, "u:p"));
        assertEquals(Candidate.class, config.readerClass());
        assertTrue(config.autoRegister());
        assertEquals("u:p", config.clientConfig().basicAuthUserInfo().orElseThrow());
    }

    private static String fail(AvroDeserializer<Candidate> deserializer, byte[] bytes) {
        return assertThrows(SerializationException.class, () -> deserializer.deserialize("t", bytes)).getMessage();
    }
}

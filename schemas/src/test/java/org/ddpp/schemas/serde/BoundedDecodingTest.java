package org.ddpp.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.ddpp.schemas.Samples;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * Crafted length prefixes, schemas and sizes end in a {@link SerializationException} with a readable reason
 * under the normal test heap (-Xmx3g): without the bounds, the first tests here need 8–16 GB or a deeper stack.
 */
class BoundedDecodingTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final CachedSchemaRegistry cache = new CachedSchemaRegistry(registry);

    private int register(String subject, Schema schema) {
        return registry.register(subject, schema.toString());
    }

    private static String refusal(AvroDeserializer<?> deserializer, byte[] bytes) {
        return assertThrows(SerializationException.class, () -> deserializer.deserialize("t", bytes)).getMessage();
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    }

    @Test
    void theTwentySixByteRecordFromTheIssueIsRefusedWithAReasonAndTheHeapIntact() {
        int id = register("ddpp.candidates-value", Candidate.getClassSchema());
        byte[] bytes = Crafted.issueRecord(id);
        assertEquals(26, bytes.length);

        String reason = refusal(new AvroDeserializer<>(cache, Candidate.class), bytes);

        assertContains("org.ddpp.schemas.avro.Candidate (schema id " + id + ")", reason);
        assertContains("array block of 2147483639 items exceeds the 0 bytes left in the record", reason);
        // the generic reader (writer schema only) is bounded the same way
        assertContains("array block of 2147483639 items", refusal(new AvroDeserializer<GenericRecord>(cache, null), bytes));
    }

    @Test
    void goodRecordsOfEveryValueTypeStillDecode() {
        assertEquals(Samples.candidate("c-1"), roundTrip(Samples.candidate("c-1"), Candidate.class));
        assertEquals(Samples.score("c-1"), roundTrip(Samples.score("c-1"), Score.class));
        assertEquals(Samples.scoredCandidate("c-1"), roundTrip(Samples.scoredCandidate("c-1"), ScoredCandidate.class));
        assertEquals(Samples.policyUpdate(3), roundTrip(Samples.policyUpdate(3), PolicyUpdate.class));
        assertEquals(Samples.metrics(), roundTrip(Samples.metrics(), Metrics.class));
        assertEquals(Samples.deadLetter(), roundTrip(Samples.deadLetter(), DeadLetter.class));
        // a record that fills its bytes exactly: 10 000 tokens of one byte each
        Candidate big = Candidate.newBuilder(Samples.candidate("big")).setTokens(Collections.nCopies(10_000, 5)).build();
        assertEquals(big, roundTrip(big, Candidate.class));
    }

    private <T extends SpecificRecord> T roundTrip(T value, Class<T> type) {
        byte[] bytes = new AvroSerializer<T>(cache, true, false).serialize("t", value);
        return new AvroDeserializer<>(cache, type).deserialize("t", bytes);
    }

    @Test
    void craftedStringLengthsAreRefused() {
        int id = register("ddpp.candidates-value", Candidate.getClassSchema());
        AvroDeserializer<Candidate> deserializer = new AvroDeserializer<>(cache, Candidate.class);

        assertContains("string length 1099511627776 exceeds the 0 bytes left",
                refusal(deserializer, Crafted.record(id, out -> out.writeLong(1L << 40))));
        assertContains("string length 2000000000 exceeds the 3 bytes left",
                refusal(deserializer, Crafted.record(id, out -> {
                    out.writeString("c-1");
                    out.writeLong(2_000_000_000L);
                    out.writeFixed(new byte[] {'a', 'b', 'c'});
                })));
        assertContains("string length -3 is negative", refusal(deserializer, Crafted.record(id, out -> out.writeLong(-3))));
    }

    @Test
    void craftedBytesLengthsAreRefused() {
        int id = register("ddpp.dlq-value", DeadLetter.getClassSchema());
        String reason = refusal(new AvroDeserializer<>(cache, DeadLetter.class), Crafted.record(id, out -> {
            out.writeIndex(1); // key: the bytes branch of ["null", "bytes"]
            out.writeLong(2_000_000_000L);
        }));
        assertContains("bytes length 2000000000 exceeds the 0 bytes left", reason);
    }

    @Test
    void craftedMapCountsAndBlockSizesAreRefused() {
        int id = register("ddpp.metrics-value", Metrics.getClassSchema());
        AvroDeserializer<Metrics> deserializer = new AvroDeserializer<>(cache, Metrics.class);
        Crafted.Body head = out -> {
            out.writeString("scorer");
            out.writeString("s-0");
            out.writeString("run-1");
            out.writeLong(1_700_000_000_000L);
        };
        assertContains("map block of 2147483639 items exceeds the 0 bytes left",
                refusal(deserializer, Crafted.record(id, out -> {
                    head.write(out);
                    out.writeLong(2_147_483_639L);
                })));
        // Avro's blocked form: a negative count, then the block's size in bytes
        assertContains("map block size 1099511627776 is negative or exceeds the 0 bytes left",
                refusal(deserializer, Crafted.record(id, out -> {
                    head.write(out);
                    out.writeLong(-3);
                    out.writeLong(1L << 40);
                })));
    }

    private static final Schema MATRIX = new Schema.Parser().parse("""
            {"type": "record", "name": "Matrix", "namespace": "test", "fields": [
              {"name": "rows", "type": {"type": "array", "items": {"type": "array", "items": "int"}}}]}""");

    @Test
    void craftedNestedArrayCountsAreRefusedAndAGoodOneDecodes() {
        int id = register("matrix-value", MATRIX);
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(cache, null);

        byte[] good = Crafted.record(id, out -> {
            out.writeLong(2); // two rows
            out.writeLong(1);
            out.writeInt(5);
            out.writeLong(0);
            out.writeLong(0); // an empty row
            out.writeLong(0);
        });
        GenericRecord matrix = deserializer.deserialize("t", good);
        assertEquals(List.of(List.of(5), List.of()), matrix.get("rows"));

        String reason = refusal(deserializer, Crafted.record(id, out -> {
            out.writeLong(2);
            out.writeLong(1);
            out.writeInt(5);
            out.writeLong(0);
            out.writeLong(2_147_483_639L); // the second row claims 2^31 - 9 ints
        }));
        assertContains("test.Matrix (schema id " + id + ")", reason);
        assertContains("array block of 2147483639 items exceeds the 0 bytes left", reason);
    }

    @Test
    void aRecordLongerThanTheLimitIsRefusedBeforeAnythingIsDecoded() {
        Candidate big = Candidate.newBuilder(Samples.candidate("big")).setTokens(Collections.nCopies(100, 5)).build();
        byte[] bytes = new AvroSerializer<Candidate>(cache, true, false).serialize("t", big);
        // a registry that does not know the id: the size is checked before the lookup
        AvroDeserializer<Candidate> limited = new AvroDeserializer<>(
                new CachedSchemaRegistry(new InMemorySchemaRegistry()), Candidate.class, new DecodeLimits(64, 32));
        assertContains("record of " + bytes.length + " bytes is longer than ddpp.avro.max.record.bytes=64",
                refusal(limited, bytes));
    }

    private static final Schema NODE = new Schema.Parser().parse("""
            {"type": "record", "name": "Node", "namespace": "test", "fields": [
              {"name": "value", "type": "int"},
              {"name": "next", "type": ["null", "Node"]}]}""");

    @Test
    void aRecursiveWriterSchemaIsRefusedInsteadOfOverflowingTheStack() {
        int id = register("node-value", NODE);
        int depth = 1_000_000;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(WireFormat.header(id));
        for (int i = 0; i < depth; i++) {
            body.write(0); // value 0
            body.write(2); // union branch 1: another Node
        }
        body.write(0);
        body.write(0); // branch 0: null
        String reason = refusal(new AvroDeserializer<GenericRecord>(cache, null), body.toByteArray());
        assertContains("test.Node (schema id " + id + "): it is recursive (test.Node contains itself)", reason);
    }

    @Test
    void anArrayOfZeroByteItemsIsRefusedBecauseItsCountIsNotBoundedByTheBytes() {
        Schema nulls = new Schema.Parser().parse("""
                {"type": "record", "name": "Nulls", "namespace": "test", "fields": [
                  {"name": "xs", "type": {"type": "array", "items": "null"}}]}""");
        int id = register("nulls-value", nulls);
        byte[] bytes = Crafted.record(id, out -> {
            out.writeLong(2_147_483_639L);
            out.writeLong(0);
        });
        assertContains("an array's items (\"null\") can take zero bytes", refusal(new AvroDeserializer<GenericRecord>(cache, null), bytes));
    }

    @Test
    void aWriterSchemaDeeperThanTheLimitIsRefusedAndDecodesUnderAHigherLimit() {
        String type = "\"int\"";
        for (int i = 0; i < 40; i++) {
            type = "{\"type\": \"array\", \"items\": " + type + "}";
        }
        Schema deep = new Schema.Parser().parse(
                "{\"type\": \"record\", \"name\": \"Deep\", \"namespace\": \"test\", \"fields\": [{\"name\": \"a\", \"type\": " + type + "}]}");
        int id = register("deep-value", deep);
        byte[] bytes = Crafted.record(id, out -> out.writeLong(0));

        assertContains("it nests deeper than ddpp.avro.max.schema.depth=32",
                refusal(new AvroDeserializer<GenericRecord>(cache, null), bytes));
        GenericRecord ok = new AvroDeserializer<GenericRecord>(cache, null, new DecodeLimits(1024, 64)).deserialize("t", bytes);
        assertEquals(List.of(), ok.get("a"));
    }

    @Test
    void aSchemaThatReusesARecordManyTimesIsCheckedInLinearTime() {
        // L29 has two fields of type L28, which has two of L27, ...: 2^29 paths through 30 distinct records
        String definition = "{\"type\": \"record\", \"name\": \"L0\", \"namespace\": \"test\", \"fields\": [{\"name\": \"v\", \"type\": \"int\"}]}";
        for (int i = 1; i < 30; i++) {
            definition = "{\"type\": \"record\", \"name\": \"L" + i + "\", \"namespace\": \"test\", \"fields\": ["
                    + "{\"name\": \"a\", \"type\": " + definition + "}, {\"name\": \"b\", \"type\": \"test.L" + (i - 1) + "\"}]}";
        }
        Schema wide = new Schema.Parser().parse(definition);
        long start = System.nanoTime();
        WriterSchemaCheck.check(wide, DecodeLimits.DEFAULTS, "test.L29");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "the check must not walk every path");
    }

    @Test
    void theLimitsAreConfigurableWithDocumentedDefaultsAndAvrosOwnLimitsAreSet() {
        assertEquals(DecodeLimits.DEFAULTS, DecodeLimits.fromConfig(Map.of()));
        assertEquals(new DecodeLimits(1024, 8), DecodeLimits.fromConfig(Map.of(
                DecodeLimits.MAX_RECORD_BYTES, "1024", DecodeLimits.MAX_SCHEMA_DEPTH, 8, "unrelated", "x")));
        SerdeConfig config = new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://h:1",
                DecodeLimits.MAX_RECORD_BYTES, "4096"));
        assertEquals(new DecodeLimits(4096, DecodeLimits.DEFAULT_MAX_SCHEMA_DEPTH), config.decodeLimits());
        assertThrows(ConfigException.class, () -> DecodeLimits.fromConfig(Map.of(DecodeLimits.MAX_RECORD_BYTES, "4")));
        assertTrue(SerdeConfig.DEF.names().containsAll(List.of(DecodeLimits.MAX_RECORD_BYTES, DecodeLimits.MAX_SCHEMA_DEPTH)));

        AvroDeserializer<Candidate> configured = new AvroDeserializer<>();
        configured.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://h:1", DecodeLimits.MAX_RECORD_BYTES, "2048"), false);
        assertEquals(2048, configured.limits().maxRecordBytes());

        // Avro's JVM-wide backstop is in force once AvroDeserializer is loaded (checked before this test touches
        // AvroSystemLimits itself)
        long tooLong = DecodeLimits.DEFAULT_MAX_RECORD_BYTES + 1L;
        assertThrows(SystemLimitException.class, () -> SystemLimitException.checkMaxStringLength(tooLong));
        assertThrows(SystemLimitException.class, () -> SystemLimitException.checkMaxBytesLength(tooLong));
        assertThrows(SystemLimitException.class, () -> SystemLimitException.checkMaxCollectionLength(0, tooLong));
        assertTrue(AvroSystemLimits.inForce());
    }

    @Test
    void aRecordLimitAboveAvrosJvmWideLimitsIsAConfigurationError() {
        assumeTrue(AvroSystemLimits.inForce() && !AvroSystemLimits.allows(2 * DecodeLimits.DEFAULT_MAX_RECORD_BYTES));
        ConfigException e = assertThrows(ConfigException.class, () -> new AvroDeserializer<>(cache, Candidate.class,
                new DecodeLimits(2 * DecodeLimits.DEFAULT_MAX_RECORD_BYTES, 32)));
        assertContains("-Dorg.apache.avro.limits.string.maxLength=N", e.getMessage());
    }

    @Test
    void manyTokensUpToTheLimitDecode() {
        List<Integer> tokens = IntStream.range(0, 200_000).map(i -> i % 50).boxed().toList();
        Candidate many = Candidate.newBuilder(Samples.candidate("many")).setTokens(tokens).build();
        assertEquals(tokens, roundTrip(many, Candidate.class).getTokens());
    }
}

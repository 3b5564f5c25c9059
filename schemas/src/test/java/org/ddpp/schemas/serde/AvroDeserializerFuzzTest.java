package org.ddpp.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;

/**
 * Fuzz targets for {@link AvroDeserializer}: whole records (Confluent header and Avro body) read as each value
 * type, and as generic records. The only acceptable outcomes are a decoded value or a
 * {@link SerializationException} with a message; anything else (another exception, {@link OutOfMemoryError},
 * {@link StackOverflowError}) is a finding.
 *
 * <p>In a normal build (no {@code JAZZER_FUZZ}) each target only replays the seed corpus in
 * {@code src/test/resources/org/ddpp/schemas/serde/AvroDeserializerFuzzTestInputs} (valid records of every type,
 * the 26-byte record from the issue, and any finding committed since), which takes well under a second. A
 * fuzzing campaign runs one target at a time, from the module directory, e.g. for an hour:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -ntp -o -pl schemas test -Dtest='AvroDeserializerFuzzTest#candidate' \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=3600
 * </pre>
 * Without the {@code jazzer.internal.arg} properties it runs for the annotation's 2 minutes. The generated corpus
 * goes to {@code schemas/.cifuzz-corpus} (ignored by git); a finding is written into the inputs directory above,
 * where it becomes a regression test once committed. To cover Avro's own code too, add
 * {@code -Djazzer.instrument='org.ddpp.**,org.apache.avro.**'}.
 */
class AvroDeserializerFuzzTest {

    private static final CachedSchemaRegistry REGISTRY = FuzzRegistry.create();
    private static final AvroDeserializer<Candidate> CANDIDATES = new AvroDeserializer<>(REGISTRY, Candidate.class);
    private static final AvroDeserializer<Score> SCORES = new AvroDeserializer<>(REGISTRY, Score.class);
    private static final AvroDeserializer<ScoredCandidate> REWARDS = new AvroDeserializer<>(REGISTRY, ScoredCandidate.class);
    private static final AvroDeserializer<PolicyUpdate> POLICIES = new AvroDeserializer<>(REGISTRY, PolicyUpdate.class);
    private static final AvroDeserializer<Metrics> METRICS = new AvroDeserializer<>(REGISTRY, Metrics.class);
    private static final AvroDeserializer<DeadLetter> LETTERS = new AvroDeserializer<>(REGISTRY, DeadLetter.class);
    private static final AvroDeserializer<GenericRecord> GENERIC = new AvroDeserializer<>(REGISTRY, null);

    @FuzzTest(maxDuration = "2m")
    void candidate(byte[] record) {
        decodeOrRefuse(CANDIDATES, record);
    }

    @FuzzTest(maxDuration = "2m")
    void score(byte[] record) {
        decodeOrRefuse(SCORES, record);
    }

    @FuzzTest(maxDuration = "2m")
    void scoredCandidate(byte[] record) {
        decodeOrRefuse(REWARDS, record);
    }

    @FuzzTest(maxDuration = "2m")
    void policyUpdate(byte[] record) {
        decodeOrRefuse(POLICIES, record);
    }

    @FuzzTest(maxDuration = "2m")
    void metrics(byte[] record) {
        decodeOrRefuse(METRICS, record);
    }

    @FuzzTest(maxDuration = "2m")
    void deadLetter(byte[] record) {
        decodeOrRefuse(LETTERS, record);
    }

    @FuzzTest(maxDuration = "2m")
    void generic(byte[] record) {
        decodeOrRefuse(GENERIC, record);
    }

    private static void decodeOrRefuse(AvroDeserializer<?> deserializer, byte[] record) {
        Object value;
        try {
            value = deserializer.deserialize("ddpp.fuzz", record);
        } catch (SerializationException refused) {
            assertNotNull(refused.getMessage(), "a refusal must say why");
            return;
        }
        assertNotNull(value, "a non-null record decodes to a value");
        value.toString(); // every field of the decoded value is usable
    }
}

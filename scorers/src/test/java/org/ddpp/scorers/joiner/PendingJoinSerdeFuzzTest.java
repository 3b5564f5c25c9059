package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Fuzz target for the joiner's state format ({@link PendingJoinSerde}): arbitrary state-store bytes. The only
 * acceptable outcomes are a decoded {@link PendingJoin} (which must serialize again) or a
 * {@link SerializationException} with a message; anything else, {@link OutOfMemoryError} included, is a finding.
 *
 * <p>In a normal build (no {@code JAZZER_FUZZ}) it only replays the seeds in
 * {@code src/test/resources/org/ddpp/scorers/joiner/PendingJoinSerdeFuzzTestInputs} (the serialized
 * {@code PendingJoinSerdeTest.sample()}, a settled and a waiting entry, and findings committed since). A
 * campaign, e.g. for an hour:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -ntp -o -pl scorers test -Dtest='PendingJoinSerdeFuzzTest' \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=3600
 * </pre>
 */
class PendingJoinSerdeFuzzTest {

    private static final PendingJoinSerde SERDE = new PendingJoinSerde();

    @FuzzTest(maxDuration = "2m")
    void deserialize(byte[] state) {
        PendingJoin join;
        try {
            join = SERDE.deserialize("joiner-store", state);
        } catch (SerializationException refused) {
            assertNotNull(refused.getMessage(), "a refusal must say why");
            return;
        }
        assertNotNull(SERDE.serialize("joiner-store", join));
    }
}

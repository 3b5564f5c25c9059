package org.ddpp.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.ddpp.schemas.Samples;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fuzz seed corpus honest: each committed seed is exactly what the serializer writes today for a sample
 * of its type (so it reaches deep into the decoder), plus the issue's 26-byte record. After a schema change, run
 * it once with {@code -Dddpp.fuzz.writeSeeds=true} to rewrite them (the working directory must be the module's,
 * as under Maven). Registering an already registered schema returns its id, so the seeds keep
 * {@link FuzzRegistry}'s ids.
 */
class SeedCorpusTest {

    static final String INPUTS = "AvroDeserializerFuzzTestInputs";

    static Map<String, byte[]> seeds() {
        CachedSchemaRegistry registry = FuzzRegistry.create();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("valid-candidate", write(registry, Samples.candidate("c-1")));
        seeds.put("valid-score", write(registry, Samples.score("c-1")));
        seeds.put("valid-scored-candidate", write(registry, Samples.scoredCandidate("c-1")));
        seeds.put("valid-policy-update", write(registry, Samples.policyUpdate(3)));
        seeds.put("valid-metrics", write(registry, Samples.metrics()));
        seeds.put("valid-dead-letter", write(registry, Samples.deadLetter()));
        seeds.put("issue-26-byte-candidate", Crafted.issueRecord(FuzzRegistry.CANDIDATE));
        return seeds;
    }

    private static byte[] write(CachedSchemaRegistry registry, SpecificRecord value) {
        return new AvroSerializer<SpecificRecord>(registry, true, false).serialize("ddpp.fuzz", value);
    }

    @Test
    void theCommittedSeedsAreCurrent() throws IOException {
        Map<String, byte[]> seeds = seeds();
        if (Boolean.getBoolean("ddpp.fuzz.writeSeeds")) {
            Path dir = Path.of("src/test/resources/org/ddpp/schemas/serde", INPUTS);
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(dir.resolve(seed.getKey()), seed.getValue());
            }
            return; // the copies on the class path are the old ones until the next build
        }
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            try (InputStream in = SeedCorpusTest.class.getResourceAsStream(INPUTS + "/" + seed.getKey())) {
                assertArrayEquals(seed.getValue(), in == null ? null : in.readAllBytes(),
                        seed.getKey() + " is stale; rerun with -Dddpp.fuzz.writeSeeds=true");
            }
        }
        assertEquals(26, seeds.get("issue-26-byte-candidate").length);
    }
}

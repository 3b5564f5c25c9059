package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.CandidateSource;
import org.junit.jupiter.api.Test;

/** Defaults and validation of the sampler's settings. */
class SamplerConfigTest {

    private static SamplerConfig.Builder minimal() {
        return SamplerConfig.builder().setRun("r1")
                .setConnection(ClusterConnection.local("127.0.0.1:9092", "http://127.0.0.1:8081"))
                .setPretrained(Path.of("runs/pretrained"));
    }

    @Test
    void defaults() {
        SamplerConfig c = minimal().build();
        assertEquals(CandidateSource.POLICY, c.source());
        assertTrue(c.follows());
        assertEquals(64, c.get(SamplerSettings.BATCH_SIZE));
        assertEquals(64, c.get(SamplerSettings.SAMPLER_STEPS));
        assertEquals(2048, c.get(SamplerSettings.MAX_OUTSTANDING));
        assertEquals(2, c.get(SamplerSettings.MAX_STALE_VERSIONS));
        assertEquals("ddpp-trainer-r1", c.trainerGroupId());
        assertEquals("ddpp.candidates", c.topics().candidates());
        assertEquals("ddpp.policy", c.topics().policy());
        assertTrue(c.samplerId().startsWith("r1-policy-"), c.samplerId());
        assertNotEquals(c.samplerId(), minimal().build().samplerId());
        SamplerConfig pinned = minimal().optPinned(true).opt(SamplerSettings.SEED, 9L).build();
        assertEquals(CandidateSource.PRETRAINED, pinned.source());
        assertEquals(9, pinned.seed());
        assertTrue(pinned.samplerId().startsWith("r1-pretrained-"));
    }

    @Test
    void isolatedNamesRenameTheTrainerGroupLikeTheTopics() {
        SamplerConfig c = minimal().setConnection(ClusterConnection.local("127.0.0.1:9092", "http://127.0.0.1:8081")
                .withTopics(TopicNames.isolated("t1.", "-x"))).build();
        assertEquals("t1.ddpp.rewards-x", c.topics().rewards());
        assertEquals("t1.ddpp-trainer-r1-x", c.trainerGroupId());
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().setRun(" ").build()).getMessage().contains("run"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().opt(SamplerSettings.BATCH_SIZE, 0).build()).getMessage().contains("batch size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().opt(SamplerSettings.MAX_OUTSTANDING, -1L).build()).getMessage().contains("max outstanding"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().opt(SamplerSettings.MAX_STALE_VERSIONS, -1).build()).getMessage().contains("stale"));
    }
}

package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.junit.jupiter.api.Test;

/** Candidates carry everything scorers and the trainer need and survive the topic's serde unchanged. */
class CandidateFactoryTest {

    @Test
    void candidatesCarryRunTaskVersionSourceSeedAndRendering() {
        GridTask task = new GridTask();
        CandidateFactory factory = new CandidateFactory(task, "run-7", "s-1", CandidateSource.PRETRAINED);
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
        List<Candidate> batch = factory.batch(new int[][] {{3, 120}, {64, 8}}, 5, 42L, at);
        assertEquals(2, batch.size());
        Candidate c = batch.get(0);
        assertEquals(c.getId(), UUID.fromString(c.getId()).toString());
        assertNotEquals(c.getId(), batch.get(1).getId());
        assertEquals("run-7", c.getRun());
        assertEquals("grid", c.getTask());
        assertEquals(List.of(3, 120), c.getTokens());
        assertEquals(task.render(new int[] {3, 120}), c.getText());
        assertEquals(5, c.getPolicyVersion());
        assertEquals(CandidateSource.PRETRAINED, c.getSource());
        assertEquals("s-1", c.getSamplerId());
        assertEquals(42L, c.getSeed());
        assertEquals(at, c.getCreatedAt());
        assertEquals(0L, c.getRewardConfigVersion(), "unsteered");
        assertEquals(4L, factory.batch(new int[][] {{3, 120}}, 5, 42L, at, 4L).get(0).getRewardConfigVersion());

        Serde<Candidate> serde = Topics.CANDIDATES.valueSerde(new CachedSchemaRegistry(new InMemorySchemaRegistry()), true);
        byte[] bytes = serde.serializer().serialize(Topics.CANDIDATES.name(), c);
        assertEquals(c, serde.deserializer().deserialize(Topics.CANDIDATES.name(), bytes));
    }
}

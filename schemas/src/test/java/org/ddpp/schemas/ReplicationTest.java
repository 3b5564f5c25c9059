package org.ddpp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReplicationTest {

    @Test
    void automaticReplicationFollowsTheClusterSize() {
        assertEquals(Replication.of(1, 1), Replication.AUTO.resolve(1));
        assertEquals(Replication.of(2, 1), Replication.AUTO.resolve(2));
        assertEquals(Replication.of(3, 2), Replication.AUTO.resolve(3));
        assertEquals(Replication.of(3, 2), Replication.AUTO.resolve(7));
    }

    @Test
    void fixedPartsStayAndTheOtherIsDerived() {
        assertEquals(Replication.of(5, 3), Replication.of(5, 3).resolve(1));
        assertEquals(Replication.of(2, 1), Replication.of(2, 0).resolve(5), "min ISR below the factor so one broker may fail");
        assertEquals(Replication.of(3, 2), Replication.of(0, 2).resolve(3));
        assertEquals(Replication.of(1, 1), Replication.of(1, 0).resolve(3));
    }

    @Test
    void impossibleSettingsAreOneReadableError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Replication.of(2, 3));
        assertEquals("min.insync.replicas must be between 1 and the replication factor 2 (or 0 = from the factor), got 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Replication.of(-1, 0));
    }
}

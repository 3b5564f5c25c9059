package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.junit.jupiter.api.Test;

/** Settings that would make the trainer wait forever are refused up front, with their names. */
class OnlineTrainerConfigTest {

    private static OnlineTrainerConfig.Builder minimal() {
        return OnlineTrainerConfig.builder().setRun("r").setConnection(ClusterConnection.local("x:1", "http://x"))
                .setPretrained(Path.of("pre")).setStateDir(Path.of("state"));
    }

    @Test
    void anInitialFillBelowTheBatchSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> minimal().opt(TrainerSettings.BATCH_SIZE, 64).opt(TrainerSettings.INITIAL_FILL, 32).build());
        assertTrue(e.getMessage().contains("initial fill (32) must be at least the batch size (64)"), e.getMessage());
        assertEquals(64, minimal().opt(TrainerSettings.BATCH_SIZE, 64).opt(TrainerSettings.INITIAL_FILL, 64).build().get(TrainerSettings.INITIAL_FILL));
        assertEquals(0, minimal().opt(TrainerSettings.BATCH_SIZE, 64).opt(TrainerSettings.INITIAL_FILL, 0).opt(TrainerSettings.FRESH_PER_STEP, 0).build().get(TrainerSettings.INITIAL_FILL),
                "with no per-step allowance everything that arrives is taken in");
    }

    @Test
    void theGroupFollowsTheRunAndTheNaming() {
        assertEquals("ddpp-trainer-r", minimal().build().groupId());
        assertEquals("p.ddpp-trainer-r-s", minimal().setConnection(ClusterConnection.local("x:1", "http://x")
                .withTopics(TopicNames.isolated("p.", "-s"))).build().groupId());
    }
}

package org.ddpp.trainer.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The annealed log-reward floor: from its start down to the floor over the first half of the steps, then flat. */
class FineTuneConfigTest {

    @Test
    void theFloorIsConstantUnlessAStartAboveItIsGiven() {
        FineTuneConfig plain = FineTuneConfig.builder().opt(FineTuneSettings.STEPS, 1000).build();
        assertEquals(-10.0, plain.floorAt(0), "the offline default");
        assertEquals(-10.0, plain.floorAt(999));
        FineTuneConfig below = FineTuneConfig.builder().opt(FineTuneSettings.STEPS, 1000).opt(FineTuneSettings.LOG_REWARD_FLOOR, -20.0)
                .opt(FineTuneSettings.LOG_REWARD_FLOOR_START, -30.0).build();
        assertEquals(-20.0, below.floorAt(0), "a start below the floor means no annealing");
    }

    @Test
    void anAnnealedFloorFallsLinearlyOverTheFirstHalf() {
        FineTuneConfig annealed = FineTuneConfig.builder().opt(FineTuneSettings.STEPS, 1000).opt(FineTuneSettings.LOG_REWARD_FLOOR, -20.0)
                .opt(FineTuneSettings.LOG_REWARD_FLOOR_START, -4.0).build();
        assertEquals(-4.0, annealed.floorAt(0), 1e-12);
        assertEquals(-12.0, annealed.floorAt(250), 1e-12);
        assertEquals(-20.0, annealed.floorAt(500), 1e-12);
        assertEquals(-20.0, annealed.floorAt(999), 1e-12);
    }
}

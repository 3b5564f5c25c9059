package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Flow control without a broker: the bound, the sampler's own output between refreshes, failed measurements. */
class FlowGateTest {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong backlogValue = new AtomicLong();
    private final AtomicLong measurements = new AtomicLong();
    private volatile boolean failing;

    private final Backlog backlog = () -> {
        measurements.incrementAndGet();
        return failing ? Optional.empty() : Optional.of(Backlog.Reading.of(backlogValue.get()));
    };

    @Test
    void ownOutputCountsAtOnceAndTheBacklogIsReadOncePerRefresh() {
        FlowGate gate = new FlowGate(backlog, 100, 1_000, clock::get);
        assertTrue(gate.mayPublish(0));
        assertEquals(1, measurements.get());
        assertTrue(gate.mayPublish(64));
        assertEquals(64, gate.outstanding(64));
        assertFalse(gate.mayPublish(128), "128 published since the measurement of 0 is over the bound");
        assertEquals(1, measurements.get(), "no new measurement before the refresh interval");
        clock.addAndGet(1_000);
        backlogValue.set(30); // the trainer consumed 98 of the 128
        assertTrue(gate.mayPublish(128));
        assertEquals(30, gate.outstanding(128));
        assertEquals(2, measurements.get());
    }

    @Test
    void aFailedMeasurementKeepsTheLastFigure() {
        FlowGate gate = new FlowGate(backlog, 100, 10, clock::get);
        backlogValue.set(99);
        assertTrue(gate.mayPublish(0));
        failing = true;
        clock.addAndGet(10);
        assertFalse(gate.mayPublish(1));
        assertEquals(100, gate.outstanding(1));
    }

    @Test
    void nothingIsPublishedBeforeTheFirstMeasurement() {
        FlowGate gate = new FlowGate(backlog, 100, 10, clock::get);
        failing = true;
        assertFalse(gate.mayPublish(0));
        assertFalse(gate.measured());
        failing = false;
        clock.addAndGet(10);
        assertTrue(gate.mayPublish(0));
        assertTrue(gate.measured());
    }

    @Test
    void boundZeroSwitchesFlowControlOff() {
        FlowGate gate = new FlowGate(backlog, 0, 10, clock::get);
        backlogValue.set(1_000_000);
        assertTrue(gate.mayPublish(1_000_000));
        assertEquals(0, measurements.get());
    }
}

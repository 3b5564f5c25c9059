package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bound derived from a target latency, on a simulated pipeline in simulated time: samplers publish batches while
 * the {@link FlowGate} allows, every candidate is joined a fixed pipeline latency after it is published, and the
 * trainer takes up to its demand per second from what is joined. Little's law gives the mean latency to the trainer
 * as mean outstanding / intake.
 */
class LatencyBoundTest {

    private static final long TICK_NANOS = 10_000_000L;

    /** What the simulated run measured over its second half. */
    private record Outcome(double intake, double latencySeconds, long bound) {}

    /**
     * @param demand         candidates per second the trainer takes when they are there
     * @param pipelineMillis time from publication to joined
     * @param target         the sampler's target latency (zero: the fixed maximum)
     */
    private static Outcome simulate(double demand, long pipelineMillis, Duration target, long max) {
        long[] clock = {0};
        long[] published = {0};
        long[] joined = {0};
        long[] consumed = {0};
        ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {joined-at nanos, count}
        Backlog backlog = () -> Optional.of(new Backlog.Reading(published[0] - consumed[0], consumed[0], joined[0] - consumed[0]));
        LatencyBound bound = new LatencyBound(max, target);
        FlowGate gate = new FlowGate(backlog, bound, 300_000_000L, () -> clock[0]);
        double credit = 0;
        double outstandingSum = 0;
        long consumedAtHalf = 0;
        int ticks = 12_000; // 120 s
        for (int t = 0; t < ticks; t++) {
            clock[0] += TICK_NANOS;
            // samplers: up to 5 000 candidates/s in batches of 64 while the gate allows
            for (int b = 0; b < 1 && gate.mayPublish(published[0]); b++) {
                published[0] += 64;
                inFlight.add(new long[] {clock[0] + pipelineMillis * 1_000_000L, 64});
            }
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= clock[0]) {
                joined[0] += inFlight.poll()[1];
            }
            credit = Math.min(credit + demand * TICK_NANOS / 1e9, demand); // the trainer does not bank more than 1 s
            long take = Math.min((long) credit, joined[0] - consumed[0]);
            consumed[0] += take;
            credit -= take;
            if (t == ticks / 2) {
                consumedAtHalf = consumed[0];
            }
            if (t >= ticks / 2) {
                outstandingSum += published[0] - consumed[0];
            }
        }
        double seconds = ticks / 2 * TICK_NANOS / 1e9;
        double intake = (consumed[0] - consumedAtHalf) / seconds;
        double meanOutstanding = outstandingSum / (ticks / 2);
        return new Outcome(intake, meanOutstanding / intake, gate.bound());
    }

    @Test
    void aFastTrainerGetsItsIntakeAtTheTargetLatency() {
        Outcome fixed = simulate(2_000, 200, Duration.ZERO, 2_048);
        Outcome derived = simulate(2_000, 200, Duration.ofMillis(500), 2_048);
        assertEquals(2_000, fixed.intake(), 40);
        assertEquals(2_000, derived.intake(), 40, "the trainer is fed as with the fixed bound");
        assertTrue(fixed.latencySeconds() > 0.75, "about 2 048 outstanding at 2 000/s: " + fixed.latencySeconds());
        // at most the target (the trainer takes a refresh interval's worth between measurements), at least the pipeline's
        assertTrue(derived.latencySeconds() <= 0.55 && derived.latencySeconds() > 0.2, "latency " + derived.latencySeconds());
    }

    @Test
    void aSlowTrainerDoesNotWaitBehindAFixedQueue() {
        Outcome fixed = simulate(32, 200, Duration.ZERO, 2_048);
        Outcome derived = simulate(32, 200, Duration.ofMillis(500), 2_048);
        assertEquals(32, derived.intake(), 1);
        assertTrue(fixed.latencySeconds() > 60, "a minute of queue with the fixed bound: " + fixed.latencySeconds());
        // a batch of 64 at 32/s is 2 s of work: it is published when the trainer's queue runs low, so the latency is
        // about one batch's worth instead of 2 048 candidates' (64 s)
        assertTrue(derived.latencySeconds() < 2.5, "latency " + derived.latencySeconds());
        assertTrue(derived.bound() < 128, "bound " + derived.bound()); // what is in flight, and a little
    }

    @Test
    void aPipelineSlowerThanTheTargetKeepsTheTrainerFed() {
        // 1.5 s from publication to joined, target 0.5 s: a bound of intake × target alone would starve the trainer
        // and shrink with its intake; the in-flight term keeps it fed
        Outcome derived = simulate(1_000, 1_500, Duration.ofMillis(500), 4_096);
        assertEquals(1_000, derived.intake(), 25);
        assertTrue(derived.latencySeconds() < 1.8, "latency " + derived.latencySeconds());
    }

    @Test
    void theBoundStaysWithinTheFloorAndTheMaximum() {
        LatencyBound bound = new LatencyBound(2_048, Duration.ofMillis(500));
        assertEquals(2_048, bound.bound(), "before any measurement: the maximum");
        assertEquals(2_048, bound.update(new Backlog.Reading(0, 0, 0), 0), "one measurement: no rate yet");
        assertEquals(2_048, bound.update(new Backlog.Reading(0, 0, 0), 1_000_000_000L),
                "no intake (no trainer yet): the maximum, so its initial fill is there when it starts");
        assertEquals(1, bound.update(new Backlog.Reading(0, 3, 0), 2_000_000_000L),
                "1.5/s of intake × 0.5 s, nothing in flight: publish when nothing is outstanding");
        for (long s = 2; s < 40; s++) {
            bound.update(new Backlog.Reading(0, s * 1_000_000, 0), s * 1_000_000_000L);
        }
        assertEquals(2_048, bound.bound(), "10⁶/s × 0.5 s is over the maximum");
        LatencyBound off = new LatencyBound(2_048, Duration.ZERO);
        off.update(new Backlog.Reading(10, 0, 0), 0);
        assertEquals(2_048, off.update(new Backlog.Reading(10, 100, 0), 1_000_000_000L), "no target: the maximum");
        assertEquals(2_048, new LatencyBound(2_048, Duration.ofMillis(500))
                .update(Backlog.Reading.of(10), 0), "a backlog that reports no totals: the maximum");
    }
}

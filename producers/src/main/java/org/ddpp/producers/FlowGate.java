package org.ddpp.producers;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Flow control of one sampler: publishing is allowed while the estimated outstanding work is below the bound.
 * The estimate is the last {@link Backlog} measurement plus what this sampler published since (so its own
 * output counts at once, between refreshes), minus what the trainer took since at its measured intake rate (with a
 * target latency); the backlog is re-measured at most once per refresh interval.
 * The bound follows a target latency ({@link LatencyBound}) up to a maximum; a maximum of 0 switches flow control off.
 */
public final class FlowGate {

    private final Backlog backlog;
    private final LatencyBound bound;
    private final long refreshNanos;
    private final LongSupplier clock;
    private long measured;
    private long publishedAtMeasure;
    private long measuredAt;
    private boolean everMeasured;

    /** A gate with the fixed bound {@code bound} (0: off). */
    public FlowGate(Backlog backlog, long bound, long refreshNanos, LongSupplier nanoClock) {
        this(backlog, new LatencyBound(bound, java.time.Duration.ZERO), refreshNanos, nanoClock);
    }

    /** A gate whose bound {@code bound} derives from a target latency, at most its maximum (0: off). */
    public FlowGate(Backlog backlog, LatencyBound bound, long refreshNanos, LongSupplier nanoClock) {
        this.backlog = backlog;
        this.bound = bound;
        this.refreshNanos = refreshNanos;
        this.clock = nanoClock;
    }

    /** True when one more batch may be published, given that this sampler has published {@code publishedTotal}. */
    public boolean mayPublish(long publishedTotal) {
        if (bound.max() <= 0) {
            return true;
        }
        long estimate = outstanding(publishedTotal);
        return everMeasured && estimate < bound.bound();
    }

    /** True once the backlog has been measured at least once (before that, nothing may be published). */
    public boolean measured() {
        return everMeasured;
    }

    /** The estimate of outstanding candidates, re-measured when the last measurement is older than the refresh. */
    public long outstanding(long publishedTotal) {
        long now = clock.getAsLong();
        if (!everMeasured || now - measuredAt >= refreshNanos) {
            Optional<Backlog.Reading> m = backlog.measure();
            measuredAt = now;
            if (m.isPresent()) {
                measured = m.get().outstanding();
                bound.update(m.get(), now);
                publishedAtMeasure = publishedTotal;
                everMeasured = true;
            }
        }
        // between measurements the trainer goes on taking candidates at its measured rate (known with a target latency)
        double rate = bound.rate();
        long drained = Double.isNaN(rate) ? 0 : (long) (rate * (now - measuredAt) / 1e9);
        return Math.max(0, measured + (publishedTotal - publishedAtMeasure) - drained);
    }

    /** The bound now; 0 when flow control is off. */
    public long bound() {
        return bound.max() <= 0 ? 0 : bound.bound();
    }

    /** The trainer's smoothed intake, candidates per second (NaN before it is known or without a target latency). */
    public double intakeRate() {
        return bound.rate();
    }
}

package org.ddpp.producers;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Flow control of one sampler: publishing is allowed while the estimated outstanding work is below the bound.
 * The estimate is the last {@link Backlog} measurement plus what this sampler published since (so its own
 * output counts at once, between refreshes); the backlog is re-measured at most once per refresh interval.
 * A bound of 0 switches flow control off.
 */
public final class FlowGate {

    private final Backlog backlog;
    private final long bound;
    private final long refreshNanos;
    private final LongSupplier clock;
    private long measured;
    private long publishedAtMeasure;
    private long measuredAt;
    private boolean everMeasured;

    public FlowGate(Backlog backlog, long bound, long refreshNanos, LongSupplier nanoClock) {
        this.backlog = backlog;
        this.bound = bound;
        this.refreshNanos = refreshNanos;
        this.clock = nanoClock;
    }

    /** True when one more batch may be published, given that this sampler has published {@code publishedTotal}. */
    public boolean mayPublish(long publishedTotal) {
        if (bound <= 0) {
            return true;
        }
        long estimate = outstanding(publishedTotal);
        return everMeasured && estimate < bound;
    }

    /** True once the backlog has been measured at least once (before that, nothing may be published). */
    public boolean measured() {
        return everMeasured;
    }

    /** The estimate of outstanding candidates, re-measured when the last measurement is older than the refresh. */
    public long outstanding(long publishedTotal) {
        long now = clock.getAsLong();
        if (!everMeasured || now - measuredAt >= refreshNanos) {
            OptionalLong m = backlog.measure();
            measuredAt = now;
            if (m.isPresent()) {
                measured = m.getAsLong();
                publishedAtMeasure = publishedTotal;
                everMeasured = true;
            }
        }
        return Math.max(0, measured + (publishedTotal - publishedAtMeasure));
    }

    public long bound() {
        return bound;
    }
}

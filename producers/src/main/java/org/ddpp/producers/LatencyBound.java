package org.ddpp.producers;

import java.time.Duration;

/**
 * The flow-control bound derived from a target latency (Little's law: outstanding ≈ intake rate × latency), so that
 * candidates reach the trainer within about that time whatever the trainer's speed; a fixed bound is either too low
 * for a fast trainer or seconds of queue for a slow one. The intake rate is the smoothed rate at which candidates
 * are settled (consumed by the trainer or dead-lettered). While the trainer's queue of joined candidates is below a
 * fifth of the target's worth, the bound does not fall below the candidates still in flight (published, not yet
 * joined) plus that fifth, so a pipeline whose own latency exceeds the target keeps the trainer fed instead of
 * shrinking its bound, and its intake, step by step. The bound stays between 1 (publish when nothing is outstanding)
 * and the configured maximum. Without a target, before the first rate is known, and while the trainer takes in less
 * than one candidate per second (none is running, or it stopped), the bound is the maximum.
 */
public final class LatencyBound {

    /** Below this intake (candidates per second) no trainer is taking candidates in. */
    static final double MIN_RATE = 1.0;

    /** Time constant of the intake rate's exponential smoothing. */
    static final double SMOOTHING_SECONDS = 2.0;

    private final long max;
    private final double targetSeconds;
    private double rate = Double.NaN;
    private long lastSettled = -1;
    private long lastNanos;
    private long bound;

    /**
     * @param max     the largest bound ({@code --max-outstanding}); 0 switches flow control off
     * @param target  the latency aimed at; zero: the bound is always {@code max}
     */
    public LatencyBound(long max, Duration target) {
        this.max = max;
        this.targetSeconds = target.toNanos() / 1e9;
        this.bound = max;
    }

    /** Takes a new measurement made at {@code nanos} and returns the bound from now on. */
    public long update(Backlog.Reading reading, long nanos) {
        if (targetSeconds <= 0 || reading.settled() < 0) {
            return bound = max;
        }
        if (lastSettled >= 0 && nanos > lastNanos) {
            double dt = (nanos - lastNanos) / 1e9;
            double now = Math.max(0, reading.settled() - lastSettled) / dt;
            rate = Double.isNaN(rate) ? now : rate + (1 - Math.exp(-dt / SMOOTHING_SECONDS)) * (now - rate);
        }
        lastSettled = reading.settled();
        lastNanos = nanos;
        if (Double.isNaN(rate) || rate < MIN_RATE) {
            // no intake to derive a latency from (no trainer consuming yet, or one stopped for a while): the maximum,
            // so that a trainer that starts finds its initial fill waiting
            return bound = max;
        }
        double wanted = rate * targetSeconds;
        double margin = rate * targetSeconds / 5;
        if (reading.waiting() >= 0 && reading.waiting() < margin) {
            // the trainer's queue is (nearly) empty: the pipeline's own latency may exceed the target, so keep what is
            // in flight and a margin; with a queue, in-flight figures are left alone (the counter reads the joined
            // candidates with a lag, which makes in-flight look larger than it is)
            long inFlight = Math.max(0, reading.outstanding() - reading.waiting());
            wanted = Math.max(wanted, inFlight + margin);
        }
        return bound = Math.max(1, Math.min(max, Math.round(wanted)));
    }

    /** The largest bound ({@code --max-outstanding}); 0: flow control is off. */
    public long max() {
        return max;
    }

    /** The current bound. */
    public long bound() {
        return bound;
    }

    /** The smoothed intake rate, candidates per second; NaN before two measurements. */
    public double rate() {
        return rate;
    }
}

package org.ddpp.diffusion.reward;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Clamps log rewards at a configurable floor (default −20) so that R = 0 becomes a very small but finite
 * reward; the paper is silent on zero rewards (docs/algorithm.md, "The log-reward floor and tempering"). Counts how many values it clamped. NaN is never
 * clamped silently: it is rejected, because it means a broken scorer.
 */
public final class LogRewardFloor implements RewardFunction {

    /** The default floor on {@code log R} after tempering. */
    public static final double DEFAULT_FLOOR = -20.0;

    private final RewardFunction inner;
    private final double floor;
    private final AtomicLong clamped = new AtomicLong();

    public LogRewardFloor(RewardFunction inner, double floor) {
        if (!(floor < 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("log-reward floor must be a finite negative number, got " + floor);
        }
        this.inner = inner;
        this.floor = floor;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] raw = inner.logReward(sequences);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = apply(raw[i]);
        }
        return raw;
    }

    /** Clamps one value. */
    public double apply(double logR) {
        if (Double.isNaN(logR)) {
            throw new IllegalArgumentException("log reward is NaN");
        }
        if (logR < floor) {
            clamped.incrementAndGet();
            return floor;
        }
        return logR;
    }

    public double floor() {
        return floor;
    }

    /** The unfloored reward. */
    public RewardFunction inner() {
        return inner;
    }

    /** {@code inner}'s differentiable form floored like this one: {@code max(floor, log R)} (gradient 0 below). */
    DifferentiableReward differentiable(DifferentiableReward differentiableInner) {
        LogRewardFloor self = this;
        return new DifferentiableReward() {
            @Override
            public String name() {
                return self.name();
            }

            @Override
            public double[] logReward(int[][] sequences) {
                return self.logReward(sequences);
            }

            @Override
            public ai.djl.ndarray.NDArray logReward(ai.djl.ndarray.NDManager m, ai.djl.ndarray.NDArray relaxed) {
                return differentiableInner.logReward(m, relaxed).maximum((float) floor);
            }
        };
    }

    /** How many values were raised to the floor so far. */
    public long clampedCount() {
        return clamped.get();
    }
}

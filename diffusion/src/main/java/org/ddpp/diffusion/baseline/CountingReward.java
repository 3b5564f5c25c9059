package org.ddpp.diffusion.baseline;

import java.util.concurrent.atomic.AtomicLong;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * Wraps a reward and counts how many sequences it scored. Reward calls are the budget that inference-time methods
 * (best-of-N, SVDD) spend instead of training, so every comparison reports them.
 */
public final class CountingReward implements RewardFunction {

    private final RewardFunction inner;
    private final AtomicLong calls = new AtomicLong();

    public CountingReward(RewardFunction inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public double[] logReward(int[][] sequences) {
        calls.addAndGet(sequences.length);
        return inner.logReward(sequences);
    }

    /** Sequences scored so far (one call per sequence). */
    public long calls() {
        return calls.get();
    }
}

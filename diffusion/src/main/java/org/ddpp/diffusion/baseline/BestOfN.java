package org.ddpp.diffusion.baseline;

import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.Sampler;

/**
 * Best-of-N, the simplest inference-time baseline of the paper: for every output draw {@code N} candidates from
 * the model with an underlying sampler and keep the one with the highest {@code log R}. Ties keep the first
 * candidate drawn, which (candidates being i.i.d.) is a uniform choice among the tied ones. Spends exactly
 * {@code N} reward calls per output, counted in {@link #rewardCalls()}.
 */
public final class BestOfN implements Sampler {

    private final Sampler base;
    private final int n;
    private final CountingReward reward;

    /**
     * @param base draws the candidates (e.g. the ancestral sampler)
     * @param n candidates per output, at least 1
     * @param reward the log reward that ranks candidates
     */
    public BestOfN(Sampler base, int n, RewardFunction reward) {
        if (n < 1) {
            throw new IllegalArgumentException("best-of-N needs N >= 1, got " + n);
        }
        this.base = base;
        this.n = n;
        this.reward = new CountingReward(reward);
    }

    @Override
    public int[][] sample(Mdm model, int count, SplittableRandom rng) {
        int[][] candidates = base.sample(model, count * n, rng);
        double[] logR = reward.logReward(candidates);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            int best = i * n;
            for (int c = i * n + 1; c < (i + 1) * n; c++) {
                if (logR[c] > logR[best]) {
                    best = c;
                }
            }
            out[i] = candidates[best];
        }
        return out;
    }

    /** Reward calls spent so far: {@code N} per output drawn. */
    public long rewardCalls() {
        return reward.calls();
    }

    @Override
    public String describe() {
        return "best-of-" + n + "(" + base.describe() + ", reward=" + reward.name() + ")";
    }
}

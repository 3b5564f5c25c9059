package org.ddpp.trainer.online;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.replay.ReplayBuffer;
import org.ddpp.diffusion.replay.ScoredSequence;

/**
 * Two replay buffers, one for on-policy candidates and one for exploration candidates (pinned to the pre-trained
 * model or replayed prior data), and batches that take a fixed share from the exploration side. Without that share
 * DDPP collapses onto a few modes (docs/algorithm.md, "Exploration share"), so the share is enforced here rather than left to how fast
 * each kind of sampler happens to publish.
 */
public final class MixedReplay {

    private final ReplayBuffer<ScoredSequence> policy;
    private final ReplayBuffer<ScoredSequence> exploration;
    private final double explorationShare;

    public MixedReplay(int capacityEach, double explorationShare) {
        this.policy = new ReplayBuffer<>(capacityEach);
        this.exploration = new ReplayBuffer<>(capacityEach);
        this.explorationShare = explorationShare;
    }

    /** Files a sample by its source. */
    public void add(ScoredSequence s) {
        if (ScoredSequence.POLICY.equals(s.source())) {
            policy.add(s);
        } else {
            exploration.add(s);
        }
    }

    /** Samples held in total. */
    public int size() {
        return policy.size() + exploration.size();
    }

    public int policySize() {
        return policy.size();
    }

    public int explorationSize() {
        return exploration.size();
    }

    /**
     * A batch with {@code round(n · share)} exploration samples and the rest on-policy; when one side is still
     * empty the other fills the whole batch.
     */
    public List<ScoredSequence> batch(int n, SplittableRandom rng) {
        int fromExploration = (int) Math.round(n * explorationShare);
        if (exploration.size() == 0) {
            fromExploration = 0;
        } else if (policy.size() == 0) {
            fromExploration = n;
        }
        List<ScoredSequence> out = new ArrayList<>(n);
        if (fromExploration > 0) {
            out.addAll(exploration.sample(fromExploration, rng));
        }
        if (n - fromExploration > 0) {
            out.addAll(policy.sample(n - fromExploration, rng));
        }
        return out;
    }
}

package org.ddpp.trainer.online;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ddpp.diffusion.replay.ReplayBuffer;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.schemas.avro.RewardConfig;

/**
 * Two replay buffers, one for on-policy candidates and one for exploration candidates (pinned to the pre-trained
 * model or replayed prior data), and batches that take a fixed share from the exploration side. Without that share
 * DDPP collapses onto a few modes (docs/algorithm.md, "Exploration share"), so the share is enforced here rather than left to how fast
 * each kind of sampler happens to publish.
 *
 * <p>It also holds the reward configuration the buffered rewards are combined under: {@link #steer} recombines
 * every sample under a new one and {@link #add} recombines each new sample under the current one
 * ({@link RewardRecombination}), under one lock, so no sample of the old meaning slips in between.
 */
public final class MixedReplay {

    private final ReplayBuffer<ScoredSequence> policy;
    private final ReplayBuffer<ScoredSequence> exploration;
    private final double explorationShare;
    private final AtomicLong droppedMissingTerm = new AtomicLong();
    /** The configuration the buffered rewards are combined under; null = version 0 (as the joiner gave them). */
    private volatile RewardConfig steering;

    public MixedReplay(int capacityEach, double explorationShare) {
        this.policy = new ReplayBuffer<>(capacityEach);
        this.exploration = new ReplayBuffer<>(capacityEach);
        this.explorationShare = explorationShare;
    }

    /** What one change of the reward configuration did to the buffer. */
    public record Steered(long version, int kept, int dropped) {}

    /**
     * Files a sample by its source, its reward recombined under the current configuration; returns false (and
     * counts it) when it lacks a term that configuration requires.
     */
    public synchronized boolean add(ScoredSequence s) {
        Optional<ScoredSequence> under = RewardRecombination.under(steering, s);
        if (under.isEmpty()) {
            droppedMissingTerm.incrementAndGet();
            return false;
        }
        (ScoredSequence.POLICY.equals(s.source()) ? policy : exploration).add(under.get());
        return true;
    }

    /**
     * Makes {@code config} the current configuration and recombines every buffered sample under it; samples that
     * lack a term it requires leave the buffer (counted).
     */
    public synchronized Steered steer(RewardConfig config) {
        steering = config;
        int dropped = 0;
        for (ReplayBuffer<ScoredSequence> buffer : List.of(policy, exploration)) {
            dropped += buffer.replaceAll(s -> RewardRecombination.under(config, s).orElse(null));
        }
        droppedMissingTerm.addAndGet(dropped);
        return new Steered(config.getVersion(), size(), dropped);
    }

    /** The version the buffered rewards are combined under (0: never steered, as the joiner gave them). */
    public long rewardConfigVersion() {
        RewardConfig c = steering;
        return c == null ? 0L : c.getVersion();
    }

    /** Samples that left the buffer, or never entered it, because a term of the current configuration was missing. */
    public long droppedMissingTerm() {
        return droppedMissingTerm.get();
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

    /** The newest {@code n} on-policy samples, oldest first (never half-way through a {@link #steer}). */
    public synchronized List<ScoredSequence> newestPolicy(int n) {
        return policy.newest(n);
    }

    /** The newest {@code n} samples of the pinned pre-trained model (source {@code pretrained}), oldest first. */
    public synchronized List<ScoredSequence> newestPinned(int n) {
        List<ScoredSequence> pinned = new ArrayList<>();
        for (ScoredSequence s : exploration.snapshot()) {
            if (ScoredSequence.PRETRAINED.equals(s.source())) {
                pinned.add(s);
            }
        }
        return pinned.subList(Math.max(0, pinned.size() - n), pinned.size());
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

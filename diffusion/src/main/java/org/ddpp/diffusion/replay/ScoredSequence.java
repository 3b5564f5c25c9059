package org.ddpp.diffusion.replay;

import java.util.Map;

/**
 * A clean sequence with its (floored) log reward, where it came from and the policy version that produced it, and
 * what the reward was made of, so that a buffered sample can be re-weighted when the run is steered to other
 * weights without asking the scorers again.
 *
 * @param tokens the sequence
 * @param logReward {@code log R(x)}, combined and floored
 * @param source {@code policy} for on-policy samples, {@code pretrained} or {@code prior} for exploration
 * @param policyVersion the version of the policy that drew it (0 = pre-trained model)
 * @param terms each scorer's raw {@code log R_k(x)} before weighting, by scorer name (immutable; empty when unknown,
 *     as for the offline loop's samples)
 * @param rewardConfigVersion the reward configuration {@code logReward} was combined under (0 = the joiner's own
 *     static composition, or not steered at all)
 * @param floored true when the floor raised {@code logReward} (the sample has "reward zero")
 */
public record ScoredSequence(int[] tokens, double logReward, String source, long policyVersion,
        Map<String, Double> terms, long rewardConfigVersion, boolean floored) {

    public static final String POLICY = "policy";
    public static final String PRETRAINED = "pretrained";
    public static final String PRIOR = "prior";

    public ScoredSequence {
        terms = terms == null ? Map.of() : Map.copyOf(terms);
    }

    /** A sample without stored terms (the offline loop's): its reward cannot be re-weighted. */
    public ScoredSequence(int[] tokens, double logReward, String source, long policyVersion) {
        this(tokens, logReward, source, policyVersion, Map.of(), 0L, false);
    }

    /** The same sample with its reward recombined under reward configuration {@code version}. */
    public ScoredSequence reweighted(double newLogReward, long version, boolean nowFloored) {
        return new ScoredSequence(tokens, newLogReward, source, policyVersion, terms, version, nowFloored);
    }
}

package org.ddpp.diffusion.replay;

/**
 * A clean sequence with its (floored) log reward, where it came from and the policy version that produced it.
 *
 * @param tokens the sequence
 * @param logReward {@code log R(x)}
 * @param source {@code policy} for on-policy samples, {@code pretrained} or {@code prior} for exploration
 * @param policyVersion the version of the policy that drew it (0 = pre-trained model)
 */
public record ScoredSequence(int[] tokens, double logReward, String source, long policyVersion) {

    public static final String POLICY = "policy";
    public static final String PRETRAINED = "pretrained";
    public static final String PRIOR = "prior";
}

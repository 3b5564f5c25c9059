package org.ddpp.diffusion.train;

/** Which DDPP estimator of {@code log Z(xt)} a fine-tune uses. */
public enum Objective {
    /** A learned log-partition network trained jointly on the same loss (the online objective). */
    LB,
    /** An importance-sampling estimate with M reward calls per training sample (offline baseline). */
    IS,
    /**
     * The reverse KL per masked state to the target's conditional, {@code E_{y~q(.|xt)}[log q − log p_pre − log R]},
     * with the reward's gradient through relaxed samples (ReinMax); needs a differentiable in-process reward, so
     * offline only.
     */
    KL;

    /** Parses {@code lb} / {@code is} / {@code kl}, case-insensitively, with a readable error. */
    public static Objective parse(String text) {
        return EnumNames.parse(Objective.class, text, "objective");
    }
}

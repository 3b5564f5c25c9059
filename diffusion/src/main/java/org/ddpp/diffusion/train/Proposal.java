package org.ddpp.diffusion.train;

/** The proposal {@code w(y | xt)} DDPP-IS draws its M samples from. */
public enum Proposal {
    /** The current policy {@code q_theta} (paper Sec. 3.1). */
    POLICY,
    /** The frozen pre-trained model {@code p_pre} (the paper's text appendix). */
    PRETRAINED
}

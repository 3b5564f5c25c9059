package org.ddpp.diffusion.train;

/** Which DDPP estimator of {@code log Z(xt)} a fine-tune uses. */
public enum Objective {
    /** A learned log-partition network trained jointly on the same loss (the online objective). */
    LB,
    /** An importance-sampling estimate with M reward calls per training sample (offline baseline). */
    IS;

    /** Parses {@code lb} / {@code is}, case-insensitively, with a readable error. */
    public static Objective parse(String text) {
        for (Objective o : values()) {
            if (o.name().equalsIgnoreCase(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + text + "' (known: lb, is)");
    }
}

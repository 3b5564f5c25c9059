package org.ddpp.ops.demo;

/** Receives the exact grid distribution of each new policy version next to the target (the dashboard's picture). */
@FunctionalInterface
public interface GridPictureSink {

    /** The policy of {@code version} and the target, two 128×128 probability tables indexed {@code a·128 + b}. */
    void show(long version, double[] policy, double[] target);
}

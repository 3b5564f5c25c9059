package org.ddpp.producers;

/**
 * A policy version's weights could not be used: unreachable, wrong size or hash, or not loadable into the run's
 * architecture. The message is the readable reason that goes into the dead letter and the log; the sampler keeps
 * its current version.
 */
public final class PolicyFetchException extends Exception {

    public PolicyFetchException(String reason) {
        super(reason);
    }

    public PolicyFetchException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

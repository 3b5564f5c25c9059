package org.ddpp.runtime;

/**
 * A role could not reach Kafka or the schema registry (or was refused by them) before it started work. The
 * command line turns it into one line and exit code 2, like a bad argument: nothing ran, so nothing is lost.
 */
public final class UnreachableAtStartException extends RuntimeException {

    public UnreachableAtStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

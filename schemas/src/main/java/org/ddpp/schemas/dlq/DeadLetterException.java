package org.ddpp.schemas.dlq;

/**
 * Writing a dead letter failed. The caller must not commit the offending offset: stopping is better than losing
 * the record.
 */
public class DeadLetterException extends RuntimeException {
    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}

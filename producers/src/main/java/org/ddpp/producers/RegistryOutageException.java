package org.ddpp.producers;

import org.ddpp.schemas.registry.SchemaRegistryException;

/**
 * A record could not be decoded because the schema registry did not answer (or answered 5xx): not the record's
 * fault, so the reader goes back to it and tries again later instead of dead-lettering or skipping it.
 */
final class RegistryOutageException extends RuntimeException {

    RegistryOutageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when {@code failure} comes from an unreachable or failing registry (no HTTP answer, or 5xx). */
    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException e && (e.httpStatus() == 0 || e.httpStatus() >= 500)) {
                return true;
            }
        }
        return false;
    }
}

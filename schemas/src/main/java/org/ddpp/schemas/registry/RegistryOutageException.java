package org.ddpp.schemas.registry;

/**
 * A record could not be decoded because the schema registry did not answer (no HTTP answer, or 5xx): not the
 * record's fault, so a reader goes back to it and tries again later instead of dead-lettering or skipping it.
 * {@link #isCause} tells such a failure from bad bytes or an unknown schema id (the record's fault). One rule for
 * every role: scorers, the joiner, samplers and the trainer.
 */
public final class RegistryOutageException extends RuntimeException {

    public RegistryOutageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when {@code failure} (or one of its causes) is a registry that could not answer. */
    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryOutageException) {
                return true;
            }
            if (t instanceof SchemaRegistryException e && (e.httpStatus() == 0 || e.httpStatus() >= 500)) {
                return true;
            }
        }
        return false;
    }
}

package org.ddpp.scorers;

import org.ddpp.schemas.registry.SchemaRegistryException;

/**
 * Tells a record that cannot be decoded from a registry that cannot be asked: a decoding failure caused by an
 * unreachable registry or a registry-side 5xx is transient and must be retried, never dead-lettered, whereas
 * bad bytes or an unknown schema id are the record's fault.
 */
public final class RegistryOutage {

    private RegistryOutage() {}

    /** True when {@code failure} (or one of its causes) is a registry that could not answer. */
    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException e && (e.httpStatus() == 0 || e.httpStatus() >= 500)) {
                return true;
            }
        }
        return false;
    }
}

package org.ddpp.schemas.registry;

import java.util.Locale;

/**
 * The registry's compatibility levels, with their meaning for a new schema against earlier versions:
 * BACKWARD (the new schema can read data written with the latest one, the default), FORWARD (the latest can read
 * data written with the new one), FULL (both), their TRANSITIVE forms (against every earlier version), NONE.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** The level a registry uses when neither it nor the subject is configured otherwise. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    /** Parses a level name case-insensitively; throws {@link IllegalArgumentException} for unknown names. */
    public static CompatibilityLevel parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("compatibility level is missing");
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compatibility level '" + name + "'", e);
        }
    }

    /** Whether the new schema must be able to read data written with earlier ones. */
    public boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** Whether earlier schemas must be able to read data written with the new one. */
    public boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** Whether every earlier version is checked, not only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }
}

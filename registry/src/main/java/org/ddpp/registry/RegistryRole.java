package org.ddpp.registry;

import java.util.Locale;

/**
 * What a user of a secured registry may do: {@link #READ_ONLY} reads schemas, looks them up and tests
 * compatibility; {@link #READ_WRITE} may also register, delete and change configuration. The two roles of a
 * {@code --users} file ({@link RegistryUsers}).
 */
public enum RegistryRole {
    READ_ONLY("read-only"),
    READ_WRITE("read-write");

    private final String label;

    RegistryRole(String label) {
        this.label = label;
    }

    /** The spelling in a users file, {@code read-only} or {@code read-write}. */
    public String label() {
        return label;
    }

    /** Parses {@code read-only}/{@code read-write}, ignoring case, {@code -} and {@code _} ({@code readonly}, {@code READ_WRITE}). */
    public static RegistryRole parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (key) {
            case "readonly" -> READ_ONLY;
            case "readwrite" -> READ_WRITE;
            default -> throw new IllegalArgumentException("unknown role '" + text.trim() + "' (use read-only or read-write)");
        };
    }
}

package org.ddpp.runtime.config;

/**
 * A config that holds its scalar values as {@link Settings} (every role config record, with a {@code settings}
 * component): {@link #get} reads one, the chosen value or the setting's default.
 */
public interface Configured {

    /** The chosen values. */
    Settings settings();

    /** The value of {@code setting}: the chosen one, or its default. */
    default <T> T get(Setting<T> setting) {
        return settings().get(setting);
    }
}

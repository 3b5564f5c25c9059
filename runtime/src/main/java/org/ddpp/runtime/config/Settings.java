package org.ddpp.runtime.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The chosen values of some {@link Setting}s; every other setting reads as its default. Immutable: {@link #with}
 * returns a copy, after validating the value (so a bad value is one readable {@link IllegalArgumentException}).
 */
public final class Settings {

    private static final Settings EMPTY = new Settings(Map.of());

    private final Map<Setting<?>, Object> values;

    private Settings(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** No value chosen: every setting reads as its default. */
    public static Settings empty() {
        return EMPTY;
    }

    /** The chosen value of {@code setting}, or its default. */
    public <T> T get(Setting<T> setting) {
        if (values.containsKey(setting)) {
            return setting.type().javaType().cast(values.get(setting));
        }
        return setting.defaultValue();
    }

    /** Whether a value was chosen for {@code setting} (even one equal to the default). */
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** A copy with {@code value} for {@code setting}; null = back to the default. */
    public <T> Settings with(Setting<T> setting, T value) {
        Objects.requireNonNull(setting, "setting");
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        if (value == null) {
            copy.remove(setting);
        } else {
            copy.put(setting, setting.validate(value));
        }
        return new Settings(Collections.unmodifiableMap(copy));
    }

    /** A copy with {@code other}'s chosen values over these. */
    public Settings withAll(Settings other) {
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return new Settings(Collections.unmodifiableMap(copy));
    }

    /** The settings with a chosen value. */
    public Collection<Setting<?>> chosen() {
        return values.keySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Settings{");
        values.forEach((k, v) -> b.append(b.length() > 9 ? ", " : "").append(k.key()).append('=').append(v));
        return b.append('}').toString();
    }
}

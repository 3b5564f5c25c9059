package org.ddpp.runtime.config;

import java.util.List;
import java.util.Objects;

/**
 * The settings of one role or command, in the order they are documented: what the command line turns into options
 * and the configuration reference into one table.
 *
 * @param name     the command or role, e.g. {@code joiner}
 * @param title    one line on what the group configures
 * @param settings its settings (shared ones included)
 */
public record SettingGroup(String name, String title, List<Setting<?>> settings) {

    public SettingGroup {
        Objects.requireNonNull(name);
        Objects.requireNonNull(title);
        settings = List.copyOf(settings);
        if (settings.stream().map(Setting::key).distinct().count() != settings.size()) {
            throw new IllegalArgumentException("settings of " + name + " repeat a key: " + settings);
        }
    }

    public static SettingGroup of(String name, String title, Setting<?>... settings) {
        return new SettingGroup(name, title, List.of(settings));
    }

    /** This group's settings followed by {@code more}'s. */
    public SettingGroup plus(List<Setting<?>> more) {
        return new SettingGroup(name, title, java.util.stream.Stream.concat(settings.stream(), more.stream()).toList());
    }
}

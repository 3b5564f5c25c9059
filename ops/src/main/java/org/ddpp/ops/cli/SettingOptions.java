package org.ddpp.ops.cli;

import java.util.List;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Generates a command's scalar options from its {@link Setting} definitions (picocli's programmatic API), so a
 * flag's name, default and help text come from the one definition the role config and
 * {@code docs/configuration.md} use. A command opts in with {@code @Command(modelTransformer = SettingOptions.class)}
 * and by implementing {@link Source}; in {@code call()} it reads the parsed values with {@link #parsed}.
 *
 * <p>Bad text for an option is picocli's usual one line ({@code Invalid value for option '--join-timeout': …});
 * a value that breaks a setting's rule is refused when the role config takes it, also as one line.
 */
public final class SettingOptions implements CommandLine.IModelTransformer {

    /** A command whose options include generated ones. */
    public interface Source {
        /** The settings to offer as options, in any order (help sorts them). */
        List<Setting<?>> settings();
    }

    @Override
    public CommandSpec transform(CommandSpec spec) {
        if (spec.userObject() instanceof Source source) {
            for (Setting<?> setting : source.settings()) {
                spec.addOption(option(setting));
            }
        }
        return spec;
    }

    /** The option of one setting: its flag, default, help text and converter. */
    static OptionSpec option(Setting<?> setting) {
        OptionSpec.Builder b = OptionSpec.builder(setting.flag())
                .description(description(setting))
                .paramLabel(setting.valueLabel() != null ? setting.valueLabel() : "<" + camel(setting.key()) + ">")
                .type(setting.type().javaType());
        if (setting.isSwitch()) {
            // no default value: picocli 4 turns an absent arity-0 flag with default "false" into true; absent here
            // means null, and the setting's own default (false) applies
            return b.arity("0").required(false).build();
        }
        b.converters(text -> {
                    try {
                        return setting.type().parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.TypeConversionException(e.getMessage());
                    }
                });
        b.required(setting.required());
        if (setting.defaultText() != null) {
            b.defaultValue(setting.defaultText());
        }
        return b.build();
    }

    /** The doc, with {@code (default: X)} before its final full stop when the setting has a default worth showing. */
    static String description(Setting<?> setting) {
        String doc = setting.doc().strip();
        if (setting.isSwitch() || setting.defaultText() == null) {
            return doc;
        }
        String body = doc.endsWith(".") ? doc.substring(0, doc.length() - 1) : doc;
        return body + " (default: " + setting.defaultText() + ").";
    }

    /** The values parsed for {@code settings} in {@code spec} (defaults included, as picocli filled them in). */
    public static Settings parsed(CommandSpec spec, List<Setting<?>> settings) {
        Settings values = Settings.empty();
        for (Setting<?> setting : settings) {
            values = put(values, setting, spec.findOption(setting.flag()).getValue());
        }
        return values;
    }

    /**
     * As {@link #parsed(CommandSpec, List)}, but the settings of {@code onlyIfGiven} that the command line did not
     * give stay unset ({@link Settings#isSet} false) instead of carrying their defaults: for options whose absence
     * must leave another source's value standing (a task profile's loss settings).
     */
    public static Settings parsed(CommandSpec spec, List<Setting<?>> settings, List<Setting<?>> onlyIfGiven) {
        Settings values = parsed(spec, settings);
        for (Setting<?> setting : onlyIfGiven) {
            if (!spec.commandLine().getParseResult().hasMatchedOption(setting.flag())) {
                values = values.with(setting, null);
            }
        }
        return values;
    }

    private static <T> Settings put(Settings values, Setting<T> setting, Object value) {
        return value == null ? values : values.with(setting, setting.type().javaType().cast(value));
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}

package org.ddpp.ops.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command whose scalar options are generated from its role's {@link Setting} list (with
 * {@code @Command(modelTransformer = SettingOptions.class)}); {@link #chosen()} gives what was parsed.
 */
abstract class RoleCommand implements Callable<Integer>, SettingOptions.Source {

    @Spec CommandSpec spec;

    private final List<Setting<?>> settings;

    RoleCommand(List<Setting<?>> settings) {
        this.settings = settings;
    }

    @Override
    public final List<Setting<?>> settings() {
        return settings;
    }

    /** The values of this command's settings as parsed (defaults included). */
    final Settings chosen() {
        return SettingOptions.parsed(spec, settings);
    }
}

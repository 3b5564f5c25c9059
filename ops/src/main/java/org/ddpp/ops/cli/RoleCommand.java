package org.ddpp.ops.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command whose scalar options are generated from its {@link Setting} list (with
 * {@code @Command(modelTransformer = SettingOptions.class)}); {@link #chosen()} gives what was parsed. Every
 * {@code ddpp} command that does work is one (the role commands, the offline commands and benchmarks, chaos,
 * broker, registry); a command's few non-scalar or required options stay picocli annotations.
 */
public abstract class RoleCommand implements Callable<Integer>, SettingOptions.Source {

    @Spec protected CommandSpec spec;

    private final List<Setting<?>> settings;
    private ConnectionOptions connection;

    protected RoleCommand(List<Setting<?>> settings) {
        this.settings = settings;
    }

    @Override
    public final List<Setting<?>> settings() {
        return settings;
    }

    /** The values of this command's settings as parsed (defaults included). */
    protected final Settings chosen() {
        return SettingOptions.parsed(spec, settings);
    }

    /** {@link #chosen()} with the settings of {@code onlyIfGiven} left unset where the command line did not give them. */
    protected final Settings chosenLeavingUnset(List<Setting<?>> onlyIfGiven) {
        return SettingOptions.parsed(spec, settings, onlyIfGiven);
    }

    /**
     * The shared connection options as parsed (resolved once); for commands whose list includes
     * {@link ConnectionOptions#ALL} ({@link #withConnection}).
     */
    protected final ConnectionOptions connection() {
        if (connection == null) {
            connection = ConnectionOptions.of(chosen());
        }
        return connection;
    }

    /** {@link ConnectionOptions#ALL} followed by {@code own}: the settings of a command that talks to a cluster. */
    protected static List<Setting<?>> withConnection(List<Setting<?>> own) {
        return java.util.stream.Stream.concat(ConnectionOptions.ALL.stream(), own.stream()).toList();
    }

    /**
     * The device of {@code --device} (for commands whose settings include {@link RoleSettings#DEVICE}), resolved
     * against the PyTorch engine: one line and exit 2 when it is not there.
     */
    protected final ai.djl.Device device() {
        return org.ddpp.diffusion.DeviceChoice.parse(chosen().get(RoleSettings.DEVICE)).resolve();
    }

    /** Whether {@code setting}'s flag was on the command line (not only its default). */
    protected final boolean given(Setting<?> setting) {
        return spec.commandLine().getParseResult().hasMatchedOption(setting.flag());
    }

    /** The command's standard output (picocli's, so tests capture it). */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code value} as one line of JSON, for commands whose result a script reads. */
    protected final void printJson(Object value) {
        out().println(Json.line(value));
        out().flush();
    }
}

package org.ddpp.runtime.config;

import java.nio.file.Path;

/**
 * What the builders of the roles that belong to one run (sampler, trainer) share besides the connection: the run
 * id and the run's pre-trained checkpoint, both required (on the command line {@code --run} and
 * {@code --pretrained}, declared once by the commands' shared run options).
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public abstract class RunConfigBuilder<B extends RunConfigBuilder<B>> extends RoleConfigBuilder<B> {

    private String run;
    private Path pretrained;

    /** Run id (required): the role works on this run's candidates and policy versions only. */
    public final B setRun(String v) {
        run = v;
        return self();
    }

    /** The run's pre-trained checkpoint directory (required): policy version 0, the architecture, the frozen reference. */
    public final B setPretrained(Path v) {
        pretrained = v;
        return self();
    }

    protected final String run() {
        return run;
    }

    protected final Path pretrained() {
        return pretrained;
    }
}

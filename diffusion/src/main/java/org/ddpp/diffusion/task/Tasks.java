package org.ddpp.diffusion.task;

import java.util.List;

/** Looks tasks up by the name used on the command line and in checkpoint manifests. */
public final class Tasks {

    private Tasks() {}

    /** Names of the tasks this build knows. */
    public static List<String> names() {
        return List.of("grid");
    }

    /** The task called {@code name}; an {@link IllegalArgumentException} with the known names otherwise. */
    public static Task byName(String name) {
        if ("grid".equals(name)) {
            return new GridTask();
        }
        throw new IllegalArgumentException("unknown task '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}

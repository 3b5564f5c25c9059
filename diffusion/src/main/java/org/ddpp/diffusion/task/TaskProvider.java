package org.ddpp.diffusion.task;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The service-provider interface through which {@link Tasks} finds tasks by name, so that adding a task (in the
 * {@code tasks} module or a user's own jar) needs no edit to a central list: implement this and name the class in
 * {@code META-INF/services/org.ddpp.diffusion.task.TaskProvider}. The names are the ones used on the command line
 * and in checkpoint manifests, so they must never change once checkpoints exist.
 */
public interface TaskProvider {

    /** The tasks this provider brings, by name, each made fresh per lookup. */
    Map<String, Supplier<Task>> tasks();
}

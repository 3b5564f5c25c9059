package org.ddpp.diffusion.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Looks tasks up by the name used on the command line and in checkpoint manifests. The tasks on the class path are
 * found once through the {@link TaskProvider} service-provider interface (grid from this module, mnist, mnist28,
 * protein and sentiment from the {@code tasks} module); others (test tasks) are added with {@link #register}.
 */
public final class Tasks {

    private static final Map<String, Supplier<Task>> KNOWN = new ConcurrentHashMap<>();

    static {
        for (TaskProvider provider : ServiceLoader.load(TaskProvider.class, Tasks.class.getClassLoader())) {
            provider.tasks().forEach(KNOWN::putIfAbsent); // the first provider on the class path wins a name
        }
    }

    private Tasks() {}

    /** Names of the tasks this process knows, sorted. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(KNOWN.keySet());
        names.sort(null);
        return names;
    }

    /** Makes {@code task} resolvable by its name. */
    public static void register(Task task) {
        KNOWN.put(task.name(), () -> task);
    }

    /** The task called {@code name}; an {@link IllegalArgumentException} with the known names otherwise. */
    public static Task byName(String name) {
        Supplier<Task> task = KNOWN.get(name);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return task.get();
    }
}

package org.ddpp.ops.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.trainer.tasks.TaskProfileFactory;

/**
 * The tasks {@code ddpp bench <task>} and {@code ddpp demo --task} know, by name: every {@link TaskProfileFactory}
 * on the class path, found through {@link ServiceLoader} (grid from this module, mnist, protein and sentiment from
 * the {@code tasks} module). A profile is made per use with the cache directory, where it keeps what it downloads
 * or trains (data, classifier heads).
 */
public final class TaskProfiles {

    private static final Map<String, TaskProfileFactory> KNOWN = new TreeMap<>();

    static {
        for (TaskProfileFactory factory : ServiceLoader.load(TaskProfileFactory.class, TaskProfiles.class.getClassLoader())) {
            KNOWN.putIfAbsent(factory.task(), factory); // the first factory on the class path wins a name
        }
    }

    private TaskProfiles() {}

    /** Names of the tasks with a profile: grid (the default) first, then the others sorted. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(KNOWN.keySet());
        if (names.remove("grid")) {
            names.add(0, "grid");
        }
        return names;
    }

    /** The profile of {@code task}; an {@link IllegalArgumentException} naming the known tasks otherwise. */
    public static TaskProfile create(String task, Path cacheDir) {
        TaskProfileFactory make = KNOWN.get(task);
        if (make == null) {
            throw new IllegalArgumentException("unknown task '" + task + "' (known: " + String.join(", ", names()) + ")");
        }
        return make.create(cacheDir);
    }
}

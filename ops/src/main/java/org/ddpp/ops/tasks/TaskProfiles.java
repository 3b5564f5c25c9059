package org.ddpp.ops.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ddpp.trainer.tasks.TaskProfile;

/**
 * The tasks {@code ddpp bench <task>} and {@code ddpp demo --task} know, by name. A profile is made per use with
 * the cache directory, where it keeps what it downloads or trains (data, classifier heads).
 */
public final class TaskProfiles {

    private static final Map<String, Function<Path, TaskProfile>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("grid", GridProfile::new);
        KNOWN.put("protein", ProteinProfile::new);
        KNOWN.put("sentiment", SentimentProfile::new);
        KNOWN.put("mnist", MnistProfile::new);
    }

    private TaskProfiles() {}

    /** Names of the tasks with a profile, in registration order. */
    public static List<String> names() {
        return new ArrayList<>(KNOWN.keySet());
    }

    /** The profile of {@code task}; an {@link IllegalArgumentException} naming the known tasks otherwise. */
    public static TaskProfile create(String task, Path cacheDir) {
        Function<Path, TaskProfile> make = KNOWN.get(task);
        if (make == null) {
            throw new IllegalArgumentException("unknown task '" + task + "' (known: " + String.join(", ", names()) + ")");
        }
        return make.apply(cacheDir);
    }
}

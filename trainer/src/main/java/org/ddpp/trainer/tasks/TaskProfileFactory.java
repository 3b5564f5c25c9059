package org.ddpp.trainer.tasks;

import java.nio.file.Path;

/**
 * The service-provider interface through which {@code TaskProfiles} (ops) finds the {@link TaskProfile} of each
 * task, so that adding a task needs no edit to a central list: implement this and name the class in
 * {@code META-INF/services/org.ddpp.trainer.tasks.TaskProfileFactory}. A factory rather than the profile itself,
 * since a profile is made per use with the cache directory and may hold native models until closed.
 */
public interface TaskProfileFactory {

    /** The task's name, as in {@code ddpp bench <task>} and {@code ddpp demo --task <task>}. */
    String task();

    /** A fresh profile that keeps what it downloads or trains (data, classifier heads) under {@code cacheDir}. */
    TaskProfile create(Path cacheDir);
}

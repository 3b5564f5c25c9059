package org.ddpp.tasks.sentiment;

import java.util.Map;
import java.util.function.Supplier;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.TaskProvider;

/**
 * Makes {@code sentiment} (the {@link TextTask}) known to {@link org.ddpp.diffusion.task.Tasks} through the
 * {@link TaskProvider} SPI.
 */
public final class SentimentTaskProvider implements TaskProvider {

    @Override
    public Map<String, Supplier<Task>> tasks() {
        return Map.of(TextTask.NAME, TextTask::new);
    }
}

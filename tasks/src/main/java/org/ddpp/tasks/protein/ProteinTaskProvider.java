package org.ddpp.tasks.protein;

import java.util.Map;
import java.util.function.Supplier;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.TaskProvider;

/** Makes {@code protein} known to {@link org.ddpp.diffusion.task.Tasks} through the {@link TaskProvider} SPI. */
public final class ProteinTaskProvider implements TaskProvider {

    @Override
    public Map<String, Supplier<Task>> tasks() {
        return Map.of("protein", ProteinTask::new);
    }
}

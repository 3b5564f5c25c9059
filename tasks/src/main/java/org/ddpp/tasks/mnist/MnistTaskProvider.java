package org.ddpp.tasks.mnist;

import java.util.Map;
import java.util.function.Supplier;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.TaskProvider;

/**
 * Makes {@code mnist} (14×14, the CPU size) and {@code mnist28} (the paper's 28×28) known to
 * {@link org.ddpp.diffusion.task.Tasks} through the {@link TaskProvider} SPI, so checkpoints of either open.
 */
public final class MnistTaskProvider implements TaskProvider {

    @Override
    public Map<String, Supplier<Task>> tasks() {
        return Map.of(MnistTask.NAME, MnistTask::cpu, MnistTask.NAME_28, MnistTask::new);
    }
}

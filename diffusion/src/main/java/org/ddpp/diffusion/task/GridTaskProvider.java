package org.ddpp.diffusion.task;

import java.util.Map;
import java.util.function.Supplier;

/** Registers the core {@link GridTask} ({@code grid}) with {@link Tasks} through the {@link TaskProvider} SPI. */
public final class GridTaskProvider implements TaskProvider {

    @Override
    public Map<String, Supplier<Task>> tasks() {
        return Map.of("grid", GridTask::new);
    }
}

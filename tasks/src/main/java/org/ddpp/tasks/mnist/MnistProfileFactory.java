package org.ddpp.tasks.mnist;

import java.nio.file.Path;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.trainer.tasks.TaskProfileFactory;

/** Makes {@code mnist}'s {@link MnistProfile} known to {@code ddpp bench} and {@code ddpp demo} through the {@link TaskProfileFactory} SPI. */
public final class MnistProfileFactory implements TaskProfileFactory {

    @Override
    public String task() {
        return "mnist";
    }

    @Override
    public TaskProfile create(Path cacheDir) {
        return new MnistProfile(cacheDir);
    }
}

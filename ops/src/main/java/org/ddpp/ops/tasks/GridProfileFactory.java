package org.ddpp.ops.tasks;

import java.nio.file.Path;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.trainer.tasks.TaskProfileFactory;

/** Makes grid's {@link GridProfile} known to {@link TaskProfiles} through the {@link TaskProfileFactory} SPI. */
public final class GridProfileFactory implements TaskProfileFactory {

    @Override
    public String task() {
        return "grid";
    }

    @Override
    public TaskProfile create(Path cacheDir) {
        return new GridProfile(cacheDir);
    }
}

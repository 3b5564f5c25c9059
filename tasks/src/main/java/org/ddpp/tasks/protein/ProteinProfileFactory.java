package org.ddpp.tasks.protein;

import java.nio.file.Path;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.trainer.tasks.TaskProfileFactory;

/** Makes {@code protein}'s {@link ProteinProfile} known to {@code ddpp bench} and {@code ddpp demo} through the {@link TaskProfileFactory} SPI. */
public final class ProteinProfileFactory implements TaskProfileFactory {

    @Override
    public String task() {
        return "protein";
    }

    @Override
    public TaskProfile create(Path cacheDir) {
        return new ProteinProfile(cacheDir);
    }
}

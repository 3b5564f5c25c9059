package org.ddpp.tasks.sentiment;

import java.nio.file.Path;
import org.ddpp.trainer.tasks.TaskProfile;
import org.ddpp.trainer.tasks.TaskProfileFactory;

/** Makes {@code sentiment}'s {@link SentimentProfile} known to {@code ddpp bench} and {@code ddpp demo} through the {@link TaskProfileFactory} SPI. */
public final class SentimentProfileFactory implements TaskProfileFactory {

    @Override
    public String task() {
        return "sentiment";
    }

    @Override
    public TaskProfile create(Path cacheDir) {
        return new SentimentProfile(cacheDir);
    }
}

package org.ddpp.ops.demo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.task.Task;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-trained task models kept in a cache directory (default {@code ~/.cache/ddpp}, or {@code $DDPP_CACHE}), one
 * per task and pre-training configuration, so the demo and the tests pre-train once and then start in seconds.
 * A cached checkpoint that fails its hash check is pre-trained again.
 */
public final class PretrainedCache {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainedCache.class);

    private final Path dir;

    public PretrainedCache(Path dir) {
        this.dir = dir;
    }

    /** The cache directory the user configured: {@code $DDPP_CACHE}, else {@code ~/.cache/ddpp}. */
    public static Path defaultDirectory() {
        return org.ddpp.diffusion.data.CacheDirectory.get();
    }

    /** The checkpoint for {@code task} pre-trained with {@code config}, training it first when it is not cached. */
    public Path ensure(Task task, PretrainConfig config) throws IOException {
        Path target = dir.resolve(task.name()).resolve(key(config));
        if (Files.isRegularFile(target.resolve(Checkpoint.MANIFEST))) {
            try {
                Checkpoint.open(target);
                LOG.info("using cached pre-trained {} model at {}", task.name(), target);
                return target;
            } catch (IOException e) {
                LOG.warn("cached model at {} is unusable ({}); pre-training again", target, e.getMessage());
            }
        }
        LOG.info("pre-training the {} model ({} steps); cached at {} for next time", task.name(), config.steps(), target);
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result result = Pretraining.run(task, config, root);
            Checkpoint.writer(target, task).setPolicy(result.model()).optStep(config.steps()).optPolicyVersion(0).write();
            result.trainer().close();
            result.model().close();
        }
        return target;
    }

    private static String key(PretrainConfig c) {
        return String.format("d%d-l%d-h%d-m%d-s%d-b%d-lr%s-seed%d", c.shape().dModel(), c.shape().layers(), c.shape().heads(),
                c.shape().mlpHidden(), c.steps(), c.batchSize(), Double.toString(c.learningRate()), c.seed());
    }
}

package org.ddpp.trainer.learner;

import java.util.Objects;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;

/**
 * What the online trainer and the offline DDPP loop both need to build their {@code DdppLearner}: the loss and
 * optimiser settings and the log-Z network's shape, held once so that both configs carry them the same way.
 *
 * @param ddpp      loss and optimiser settings
 * @param logZShape architecture of the log-Z network; default {@link #DEFAULT_LOGZ_SHAPE}
 */
public record LearnerSetup(DdppConfig ddpp, NetworkShape logZShape) {

    /** The log-Z network of every trainer unless set: d=64, 1 layer, 4 heads. */
    public static final NetworkShape DEFAULT_LOGZ_SHAPE = NetworkShape.of(64, 1, 4);

    public LearnerSetup {
        Objects.requireNonNull(ddpp, "ddpp");
        Objects.requireNonNull(logZShape, "logZShape");
    }

    /** The default DDPP settings and {@link #DEFAULT_LOGZ_SHAPE}. */
    public static LearnerSetup defaults() {
        return new LearnerSetup(DdppConfig.builder().build(), DEFAULT_LOGZ_SHAPE);
    }

    public LearnerSetup withDdpp(DdppConfig v) {
        return new LearnerSetup(v, logZShape);
    }

    public LearnerSetup withLogZShape(NetworkShape v) {
        return new LearnerSetup(ddpp, v);
    }
}

package org.ddpp.trainer.learner;

import java.util.function.UnaryOperator;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;

/**
 * The {@code opt*} methods of a trainer config's builder for its {@link LearnerSetup} (the online trainer's and the
 * offline loop's builders both have them): a builder implements {@link #learner} over the setup it holds.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public interface LearnerOptions<B> {

    /** Replaces the builder's setup with {@code change} applied to it; returns the builder. */
    B learner(UnaryOperator<LearnerSetup> change);

    /** DDPP loss and optimiser settings; default {@code DdppConfig.builder().build()}. */
    default B optDdpp(DdppConfig v) {
        return learner(setup -> setup.withDdpp(v));
    }

    /** The log-Z network's shape; default {@link LearnerSetup#DEFAULT_LOGZ_SHAPE}. */
    default B optLogZShape(NetworkShape v) {
        return learner(setup -> setup.withLogZShape(v));
    }
}

package org.ddpp.trainer.learner;

import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;

/** A trainer's config (online or offline) with a {@link LearnerSetup}: its DDPP settings and log-Z shape read through it. */
public interface LearnerConfig {

    LearnerSetup learner();

    /** Loss and optimiser settings. */
    default DdppConfig ddpp() {
        return learner().ddpp();
    }

    /** Architecture of the log-Z network. */
    default NetworkShape logZShape() {
        return learner().logZShape();
    }
}

package org.ddpp.diffusion.sample;

import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;

/** Draws clean sequences from a masked diffusion model, starting from all-MASK; a seed fixes the result. */
public interface Sampler {

    /** {@code n} sequences from {@code model}. */
    int[][] sample(Mdm model, int n, SplittableRandom rng);

    /** A short description with every setting that changes the samples (reported next to every number). */
    String describe();
}

package org.ddpp.diffusion;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.MdlmPretrainer;

/** Builds small, quickly pre-trained models of {@link TinyTask} for tests. */
public final class TinyModels {

    public static final NetworkShape SHAPE = NetworkShape.of(32, 2, 4);

    private TinyModels() {}

    /** A model pre-trained for {@code steps} steps on the tiny prior (seeded). */
    public static Mdm pretrained(NDManager root, int steps, long seed) {
        TinyTask task = new TinyTask();
        Mdm model = Mdm.create(task, SHAPE, seed, root);
        try (MdlmPretrainer trainer = new MdlmPretrainer(model, new MaskSchedule(), 3e-3, 1.0)) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < steps; i++) {
                trainer.step(task.samplePrior(128, rng), rng);
            }
        }
        return model;
    }
}

package org.ddpp.trainer.offline;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.train.MdlmPretrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pre-trains a fresh MDM on a task's prior data with the MDLM ELBO and reports its speed and final loss. */
public final class Pretraining {

    private static final Logger LOG = LoggerFactory.getLogger(Pretraining.class);

    /** The trained model and what the run measured. */
    public record Result(Mdm model, MdlmPretrainer trainer, double finalLoss, double stepsPerSecond, double seconds) {}

    private Pretraining() {}

    public static Result run(Task task, PretrainConfig config, NDManager parent) {
        Mdm model = Mdm.create(task, config.shape(), config.seed(), parent);
        MaskSchedule schedule = new MaskSchedule();
        MdlmPretrainer trainer = new MdlmPretrainer(model, schedule, config.learningRate(), config.gradClip());
        SplittableRandom rng = new SplittableRandom(config.seed());
        ProgressLog progress = new ProgressLog(LOG, 5.0);
        long start = System.nanoTime();
        double ema = Double.NaN;
        for (int step = 1; step <= config.steps(); step++) {
            double loss = trainer.step(task.samplePrior(config.batchSize(), rng), rng);
            ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.maybe(step == config.steps(), "pretrain {} step {}/{} loss {} ({} steps/s)",
                    task.name(), step, config.steps(), String.format("%.4f", ema), String.format("%.1f", step / elapsed));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(model, trainer, ema, config.steps() / Math.max(seconds, 1e-9), seconds);
    }
}

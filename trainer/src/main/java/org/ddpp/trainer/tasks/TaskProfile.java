package org.ddpp.trainer.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.Task;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.MethodComparison;
import org.ddpp.trainer.offline.PretrainConfig;

/**
 * Everything a task brings to {@code ddpp bench <task>} and {@code ddpp demo --task <task>} beyond its
 * {@link Task}: how big a model to pre-train, how to fine-tune, which scorers make its reward, the same reward in
 * process, and the task's own quality figures and pictures. One implementation per task keeps the benchmark, the
 * demo and the tests on the same settings.
 */
public interface TaskProfile extends AutoCloseable {

    /** The task itself (data, vocabulary, rendering). */
    Task task();

    /** Default MDLM pre-training, sized for 2 CPU cores; the pre-trained model is cached by this configuration. */
    PretrainConfig pretrain();

    /** Default DDPP fine-tuning; callers may override single settings on the returned builder. */
    FineTuneConfig.Builder fineTune();

    /**
     * The scorers and weights that make the reward, in {@code RewardComposition} syntax
     * ({@code name=weight,...}); the demo starts one scorer service per name and the joiner combines them.
     */
    String rewardSpec();

    /** The same reward evaluated in process (raw, before the floor): used by the offline methods and evaluation. */
    RewardFunction reward();

    /**
     * The task's quality figures of K samples by JSON name (e.g. {@code fraction_even}, {@code bpd_even_test});
     * {@code model} is the sampled model where plain sampling was used, else null (figures that need the model
     * are then NaN and left out of the JSON).
     */
    Map<String, Double> quality(int[][] samples, Mdm model);

    /**
     * The adapter for {@link MethodComparison}, which takes the quality function alone.
     */
    default MethodComparison.Quality asQuality() {
        return this::quality;
    }

    /**
     * Writes task-specific pictures of the methods' samples under {@code dir} (e.g. a PNG grid of digits) and
     * returns the files written, for the report to link; none by default.
     */
    default List<Path> pictures(Path dir, List<MethodComparison.Outcome> outcomes) throws IOException {
        return List.of();
    }

    /** A markdown paragraph or table of the paper's numbers for this task, shown next to ours; empty by default. */
    default String paperReference() {
        return "";
    }

    /** Releases native models (classifiers, encoders) the profile holds; nothing by default. */
    @Override
    default void close() {}
}

package org.ddpp.tasks.mnist;

import java.util.Set;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code mnist-even}: the classifier scorer of the MNIST task, {@code log R = 5 · log Σ_{y even} p(y | x)} (see
 * {@link EvenDigitReward}) with a LeNet-style CNN trained on MNIST at the task's resolution ({@link MnistClassifier},
 * trained and cached on first use). Judges both {@code mnist} (14×14) and {@code mnist28}; candidates that are not
 * binary images of the task's size (e.g. a MASK token left in) are INVALID through the task's own check.
 */
public final class MnistEvenScorer extends RewardFunctionScorer {

    public static final String NAME = "mnist-even";

    public MnistEvenScorer() {
        super(NAME, "1", Set.of(MnistTask.NAME, MnistTask.NAME_28), new EvenDigitReward());
    }
}

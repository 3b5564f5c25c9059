package org.ddpp.tasks.mnist;

import java.util.function.IntFunction;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * The paper's Table 2 reward on binarised MNIST: {@code log R(x) = β · log Σ_{y even} p(y | x)} with β =
 * {@value #TEMPERATURE} and {@code p(y | x)} the {@link MnistClassifier} for the image's resolution, which is read
 * from the sequence length (196 tokens: 14×14, 784: 28×28). Classifiers are fetched on first need (trained then,
 * if not cached), so constructing the reward costs nothing.
 */
public final class EvenDigitReward implements RewardFunction {

    /** β, the paper's exponent: {@code R = (Σ_even p(y|x))^5}. */
    public static final double TEMPERATURE = 5.0;

    private final IntFunction<MnistClassifier> classifierBySide;

    /** The reward with the process-wide classifiers of the default cache. */
    public EvenDigitReward() {
        this(MnistClassifier::shared);
    }

    /** The reward with {@code classifier} for its own side only. */
    public EvenDigitReward(MnistClassifier classifier) {
        this(side -> {
            if (side != classifier.settings().side()) {
                throw new IllegalArgumentException("this reward judges " + classifier.settings().side() + "x"
                        + classifier.settings().side() + " digits, got " + side + "x" + side);
            }
            return classifier;
        });
    }

    private EvenDigitReward(IntFunction<MnistClassifier> classifierBySide) {
        this.classifierBySide = classifierBySide;
    }

    @Override
    public String name() {
        return "mnist-even";
    }

    @Override
    public double[] logReward(int[][] sequences) {
        if (sequences.length == 0) {
            return new double[0];
        }
        int side = sideOf(sequences[0].length);
        for (int[] s : sequences) {
            if (s.length != sequences[0].length) {
                throw new IllegalArgumentException("digits of different sizes in one call: " + s.length + " and " + sequences[0].length);
            }
        }
        double[] logEven = classifierBySide.apply(side).logProbabilityEven(sequences);
        for (int i = 0; i < logEven.length; i++) {
            logEven[i] *= TEMPERATURE;
        }
        return logEven;
    }

    static int sideOf(int length) {
        int side = (int) Math.round(Math.sqrt(length));
        if (side * side != length || (side != 28 && side != 14 && side != 7)) {
            throw new IllegalArgumentException(length + " tokens is not a 28x28, 14x14 or 7x7 digit");
        }
        return side;
    }
}

package org.ddpp.tasks.mnist;

/**
 * How the digit classifier is trained; its cache key, so a changed setting trains a new classifier instead of
 * reusing one that no longer matches.
 *
 * @param side         image side (14 or 28; 7 in tests)
 * @param epochs       passes over the 60 000 training digits (the last at a tenth of the rate); default 3
 * @param batchSize    digits per step; default 128
 * @param learningRate Adam learning rate; default 2e-3
 * @param seed         seed of the weights and the shuffling; default 1
 */
public record ClassifierSettings(int side, int epochs, int batchSize, double learningRate, long seed) {

    /** Bump when the network or the training loop changes, so cached weights are not reused. */
    static final int REVISION = 2;

    public ClassifierSettings {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("classifier epochs, batch size and learning rate must be positive");
        }
    }

    public static ClassifierSettings defaults(int side) {
        return new ClassifierSettings(side, 3, 128, 2e-3, 1L);
    }

    /** The cache folder name: network, resolution and every training setting. */
    public String key() {
        return String.format("lenet%d-%d-%d-r%d-side%d-e%d-b%d-lr%s-seed%d", LeNet.CONV1, LeNet.CONV2, LeNet.HIDDEN,
                REVISION, side, epochs, batchSize, Double.toString(learningRate), seed);
    }
}

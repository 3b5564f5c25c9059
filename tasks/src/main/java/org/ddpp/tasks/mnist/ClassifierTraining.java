package org.ddpp.tasks.mnist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.GradMode;
import org.ddpp.diffusion.train.AdamOptimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link MnistClassifier} on the binarised train split: cross-entropy, Adam ({@link AdamOptimizer}, clip
 * 5; the last epoch at a tenth of the learning rate), shuffled mini-batches drawn from the seed, then measures accuracy on the 10 000 test digits.
 *
 * <p>Backward passes run through PyTorch's autograd directly (grad mode on for this thread only) rather than through
 * a DJL {@link GradientCollector}: DJL allows one collector per process, and the classifier may be trained on first
 * use while a DDPP trainer in another thread holds one (the demo runs scorers and trainer in one JVM).
 */
final class ClassifierTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTraining.class);

    private ClassifierTraining() {}

    /** A trained classifier; its {@link MnistClassifier#testAccuracy()} is set. */
    static MnistClassifier train(ClassifierSettings settings, MnistData data) {
        if (data.side() != settings.side()) {
            throw new IllegalArgumentException("data of side " + data.side() + " for a classifier of side " + settings.side());
        }
        MnistClassifier classifier = new MnistClassifier(settings, Double.NaN);
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : classifier.network().getParameters()) {
            params.add(p.getValue());
        }
        MnistData.Split train = data.train();
        int side = settings.side();
        int pixels = side * side;
        SplittableRandom rng = new SplittableRandom(settings.seed() * 31 + 5);
        long start = System.nanoTime();
        long lastLog = start;
        int stepsPerEpoch = train.size() / settings.batchSize();
        int step = 0;
        double ema = Double.NaN;
        ParameterStore store = new ParameterStore(classifier.manager(), false);
        AdamOptimizer adam = new AdamOptimizer(params, settings.learningRate(), 5.0, classifier.manager());
        try {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                if (epoch > 0 && epoch == settings.epochs() - 1) {
                    // the last epoch at a tenth of the rate: a fresh optimiser (its moments restart)
                    adam.close();
                    adam = new AdamOptimizer(params, settings.learningRate() / 10, 5.0, classifier.manager());
                }
                int[] order = permutation(train.size(), rng);
                for (int b = 0; b < stepsPerEpoch; b++) {
                    float[] x = new float[settings.batchSize() * pixels];
                    float[] oneHot = new float[settings.batchSize() * LeNet.CLASSES];
                    for (int i = 0; i < settings.batchSize(); i++) {
                        int idx = order[b * settings.batchSize() + i];
                        byte[] img = train.images()[idx];
                        for (int j = 0; j < pixels; j++) {
                            x[i * pixels + j] = img[j];
                        }
                        oneHot[i * LeNet.CLASSES + train.labels()[idx]] = 1f;
                    }
                    double loss;
                    try (NDManager m = classifier.manager().newSubManager()) {
                        loss = backward(classifier, store, m, x, oneHot, settings.batchSize());
                    }
                    adam.step();
                    step++;
                    ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
                    long now = System.nanoTime();
                    if (now - lastLog > 5_000_000_000L) {
                        lastLog = now;
                        LOG.info("MNIST classifier {}x{}: epoch {} step {}/{} loss {} ({} steps/s)", side, side, epoch + 1,
                                step, stepsPerEpoch * settings.epochs(), String.format("%.4f", ema),
                                String.format("%.1f", step / ((now - start) / 1e9)));
                    }
                }
            }
        } finally {
            adam.close();
        }
        GradMode.off();
        classifier.network().freezeParameters(true);
        double accuracy = classifier.accuracy(data.test(), data.test().size());
        classifier.setTestAccuracy(accuracy);
        LOG.info("MNIST classifier {}x{}: trained {} steps in {} s, train loss {}, test accuracy {}", side, side, step,
                String.format("%.1f", (System.nanoTime() - start) / 1e9), String.format("%.4f", ema),
                String.format("%.4f", accuracy));
        return classifier;
    }

    /** Forward and backward of the mean cross-entropy; gradients accumulate on the parameters. */
    private static double backward(MnistClassifier c, ParameterStore store, NDManager m, float[] x, float[] oneHot, int n) {
        boolean pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
        if (!pytorch) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(c, store, m, x, oneHot, n);
                gc.backward(loss);
                return loss.getFloat();
            }
        }
        JniUtils.setGradMode(true);
        try {
            NDArray loss = loss(c, store, m, x, oneHot, n);
            NDArray seed = m.ones(loss.getShape(), loss.getDataType());
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
            return loss.getFloat();
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    private static NDArray loss(MnistClassifier c, ParameterStore store, NDManager m, float[] x, float[] oneHot, int n) {
        int side = c.settings().side();
        NDArray input = m.create(x, new Shape(n, 1, side, side));
        NDArray target = m.create(oneHot, new Shape(n, LeNet.CLASSES));
        NDArray logits = c.network().forward(store, new NDList(input), true).singletonOrThrow();
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

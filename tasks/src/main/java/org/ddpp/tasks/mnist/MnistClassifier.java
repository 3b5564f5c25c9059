package org.ddpp.tasks.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.model.GradMode;

/**
 * The digit classifier {@code p(y | x)} behind the {@code mnist-even} reward and the MNIST task's quality figures:
 * a {@link LeNet} trained on the binarised MNIST train split at the task's resolution, trained once on first use
 * and cached under the cache directory by its {@link ClassifierSettings} (see {@link ClassifierCache}). Inference
 * is thread-safe: calls are serialised, and each runs with autograd off on its own thread.
 */
public final class MnistClassifier implements AutoCloseable {

    private static final Map<String, MnistClassifier> SHARED = new ConcurrentHashMap<>();
    /** Images per forward pass, to bound memory. */
    private static final int CHUNK = 1000;

    private final ClassifierSettings settings;
    private volatile double testAccuracy;
    private final NDManager manager;
    private final SequentialBlock net;
    private ParameterStore store;

    MnistClassifier(ClassifierSettings settings, double testAccuracy) {
        this.settings = settings;
        this.testAccuracy = testAccuracy;
        this.manager = NDManager.newBaseManager();
        this.net = LeNet.create(settings.seed());
        GradMode.off();
        net.initialize(manager, DataType.FLOAT32, LeNet.inputShape(settings.side()));
        this.store = new ParameterStore(manager, false);
    }

    /**
     * The process-wide classifier for images of {@code side} with the default settings and cache directory:
     * loaded from the cache, or trained there first (about a minute at side 14 on one core).
     */
    public static MnistClassifier shared(int side) {
        return shared(CacheDirectory.get(), ClassifierSettings.defaults(side));
    }

    /** The process-wide classifier for {@code settings} cached under {@code cacheDir}. */
    public static MnistClassifier shared(Path cacheDir, ClassifierSettings settings) {
        String key = cacheDir.toAbsolutePath() + "#" + settings.key();
        MnistClassifier c = SHARED.get(key);
        if (c != null) {
            return c;
        }
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(key, k -> {
                try {
                    return new ClassifierCache(cacheDir).ensure(settings);
                } catch (IOException e) {
                    throw new UncheckedIOException("MNIST classifier unavailable: " + e.getMessage(), e);
                }
            });
        }
    }

    public ClassifierSettings settings() {
        return settings;
    }

    /** Accuracy on the 10 000 test digits, measured when the classifier was trained (NaN before). */
    public double testAccuracy() {
        return testAccuracy;
    }

    void setTestAccuracy(double v) {
        testAccuracy = v;
    }

    SequentialBlock network() {
        return net;
    }

    NDManager manager() {
        return manager;
    }

    /** {@code log p(y | x)} for each image (0/1 pixels, row-major, {@code side²} each): {@code [B][10]}. */
    public synchronized double[][] logProbabilities(int[][] images) {
        GradMode.off();
        int side = settings.side();
        double[][] out = new double[images.length][];
        for (int from = 0; from < images.length; from += CHUNK) {
            int n = Math.min(CHUNK, images.length - from);
            float[] pixels = new float[n * side * side];
            for (int i = 0; i < n; i++) {
                int[] img = images[from + i];
                if (img.length != side * side) {
                    throw new IllegalArgumentException("expected " + side * side + " pixels, got " + img.length);
                }
                for (int j = 0; j < img.length; j++) {
                    pixels[i * side * side + j] = img[j];
                }
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(pixels, new Shape(n, 1, side, side));
                float[] flat = net.forward(store, new NDList(x), false).singletonOrThrow().logSoftmax(1).toFloatArray();
                for (int i = 0; i < n; i++) {
                    double[] row = new double[LeNet.CLASSES];
                    for (int y = 0; y < row.length; y++) {
                        row[y] = flat[i * LeNet.CLASSES + y];
                    }
                    out[from + i] = row;
                }
            }
        }
        return out;
    }

    /** The most probable class of each image. */
    public int[] predict(int[][] images) {
        double[][] lp = logProbabilities(images);
        int[] out = new int[lp.length];
        for (int i = 0; i < lp.length; i++) {
            out[i] = argmax(lp[i]);
        }
        return out;
    }

    /** {@code log Σ_{y even} p(y | x)} for each image. */
    public double[] logProbabilityEven(int[][] images) {
        double[][] lp = logProbabilities(images);
        double[] out = new double[lp.length];
        for (int i = 0; i < lp.length; i++) {
            out[i] = logSumExpEven(lp[i]);
        }
        return out;
    }

    static double logSumExpEven(double[] logProbs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < logProbs.length; y += 2) {
            max = Math.max(max, logProbs[y]);
        }
        double sum = 0;
        for (int y = 0; y < logProbs.length; y += 2) {
            sum += Math.exp(logProbs[y] - max);
        }
        return max + Math.log(sum);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Accuracy on the first {@code limit} digits of {@code split}. */
    public double accuracy(MnistData.Split split, int limit) {
        int n = Math.min(limit, split.size());
        int[][] images = new int[n][];
        for (int i = 0; i < n; i++) {
            images[i] = split.tokens(i);
        }
        int[] predicted = predict(images);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += predicted[i] == split.labels()[i] ? 1 : 0;
        }
        return (double) correct / n;
    }

    synchronized void save(DataOutputStream out) throws IOException {
        net.saveParameters(out);
    }

    /** Replaces the weights with those saved by {@link #save}. */
    synchronized void load(DataInputStream in) throws IOException {
        try {
            net.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("classifier weights do not fit the network: " + e.getMessage(), e);
        }
        // a store that already ran the block would keep the old arrays
        store = new ParameterStore(manager, false);
        net.freezeParameters(true);
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}

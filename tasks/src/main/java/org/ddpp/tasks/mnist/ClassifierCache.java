package org.ddpp.tasks.mnist;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trained classifiers kept under {@code <cache>/mnist-classifier/<settings key>/}: {@code weights.params} (DJL's
 * parameter format), its {@code weights.sha256}, and {@code info.properties} with the test accuracy measured at
 * training time. A folder is written whole into a temporary sibling and moved into place, so a killed run never
 * leaves half a classifier; weights whose hash does not match are trained again.
 */
final class ClassifierCache {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierCache.class);

    static final String WEIGHTS = "weights.params";
    static final String HASH = "weights.sha256";
    static final String INFO = "info.properties";

    private final Path cacheDir;

    ClassifierCache(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    Path folder(ClassifierSettings settings) {
        return cacheDir.resolve("mnist-classifier").resolve(settings.key());
    }

    /** The cached classifier for {@code settings}, trained (and cached) first when missing or damaged. */
    MnistClassifier ensure(ClassifierSettings settings) throws IOException {
        Path dir = folder(settings);
        if (Files.isRegularFile(dir.resolve(HASH))) {
            try {
                MnistClassifier c = load(dir, settings);
                LOG.info("MNIST classifier {}x{} from {} (test accuracy {})", settings.side(), settings.side(), dir,
                        String.format("%.4f", c.testAccuracy()));
                return c;
            } catch (IOException e) {
                LOG.warn("cached MNIST classifier at {} is unusable ({}); training again", dir, e.getMessage());
            }
        }
        LOG.info("training the MNIST classifier {}x{} (first use; cached at {})", settings.side(), settings.side(), dir);
        MnistClassifier c = ClassifierTraining.train(settings, MnistData.get(cacheDir, settings.side()));
        store(dir, c);
        return c;
    }

    private static MnistClassifier load(Path dir, ClassifierSettings settings) throws IOException {
        byte[] weights = Files.readAllBytes(dir.resolve(WEIGHTS));
        String expected = Files.readString(dir.resolve(HASH), StandardCharsets.US_ASCII).strip();
        if (!sha256(weights).equals(expected)) {
            throw new IOException(WEIGHTS + " does not match its sha256");
        }
        Properties info = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(INFO), StandardCharsets.UTF_8)) {
            info.load(in);
        }
        MnistClassifier c = new MnistClassifier(settings, Double.parseDouble(info.getProperty("test_accuracy", "NaN")));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            c.load(in);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw new IOException(e.getMessage(), e);
        }
        return c;
    }

    private static void store(Path dir, MnistClassifier c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            c.save(out);
        }
        byte[] weights = bytes.toByteArray();
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), ".write-");
        try {
            Files.write(tmp.resolve(WEIGHTS), weights);
            Files.writeString(tmp.resolve(HASH), sha256(weights) + "\n", StandardCharsets.US_ASCII);
            Properties info = new Properties();
            info.setProperty("test_accuracy", Double.toString(c.testAccuracy()));
            info.setProperty("settings", c.settings().toString());
            try (var out = Files.newBufferedWriter(tmp.resolve(INFO), StandardCharsets.UTF_8)) {
                info.store(out, "MNIST digit classifier");
            }
            if (Files.exists(dir)) {
                deleteFolder(dir); // a damaged copy
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process stored the same settings first
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteFolder(tmp);
            }
        }
    }

    private static void deleteFolder(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

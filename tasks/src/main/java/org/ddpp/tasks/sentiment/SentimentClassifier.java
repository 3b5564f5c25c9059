package org.ddpp.tasks.sentiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.diffusion.data.CacheDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sentiment classifier: {@link MiniLmEncoder} sentence vectors and a {@link LogisticHead} trained on the
 * {@link LabelledSentences} training split (λ = {@value #LAMBDA}, Newton steps), its accuracy measured on the
 * held-out split. The head is trained on first use and cached as JSON under {@code <cache>/models/} (written
 * atomically, with the sha256 of its numbers checked on reading), keyed by encoder, data, split and λ; a damaged
 * file is retrained. {@link #shared()} is the one instance of a process for the configured engine. Thread-safe.
 */
public final class SentimentClassifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentimentClassifier.class);

    /** L2 strength of the head, chosen once on the training split (see docs/tasks/sentiment.md). */
    public static final double LAMBDA = 0.5;
    static final int NEWTON_STEPS = 30;
    static final String HEAD_KEY = "minilm-" + MiniLmEncoder.VERSION + "-single_sentiment-" + LabelledSentences.VERSION + "_mod5_l" + LAMBDA;

    private static final Map<String, SentimentClassifier> SHARED = new ConcurrentHashMap<>();

    private final MiniLmEncoder encoder;
    private final LogisticHead head;
    private final double heldOutAccuracy;
    private final double trainAccuracy;

    private SentimentClassifier(MiniLmEncoder encoder, LogisticHead head, double heldOutAccuracy, double trainAccuracy) {
        this.encoder = encoder;
        this.head = head;
        this.heldOutAccuracy = heldOutAccuracy;
        this.trainAccuracy = trainAccuracy;
    }

    /** The process-wide classifier for {@link EngineChoice#configured()} and {@link CacheDirectory#get()}, opened on first use. */
    public static SentimentClassifier shared() {
        return shared(CacheDirectory.get());
    }

    /** The process-wide classifier for {@link EngineChoice#configured()} with its data and head under {@code cacheDir}. */
    public static SentimentClassifier shared(Path cacheDir) {
        EngineChoice engine = EngineChoice.configured();
        return SHARED.computeIfAbsent(engine + "|" + cacheDir.toAbsolutePath(), k -> {
            try {
                return open(cacheDir, engine);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    /** Loads the encoder on {@code engine} and the cached head, training it first when there is none. */
    public static SentimentClassifier open(Path cacheDir, EngineChoice engine) throws IOException {
        MiniLmEncoder encoder = MiniLmEncoder.open(cacheDir, engine);
        try {
            Path file = cacheDir.resolve("models").resolve("sentiment-head-" + HEAD_KEY + ".json");
            SentimentClassifier cached = read(file, encoder);
            if (cached != null) {
                LOG.info("sentiment head from {} (held-out accuracy {})", file, String.format("%.3f", cached.heldOutAccuracy));
                return cached;
            }
            SentimentClassifier trained = train(cacheDir, encoder);
            write(file, trained);
            return trained;
        } catch (IOException | RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static SentimentClassifier train(Path cacheDir, MiniLmEncoder encoder) throws IOException {
        long t0 = System.nanoTime();
        List<LabelledSentences.Sentence> all = LabelledSentences.load(cacheDir);
        List<String> texts = all.stream().map(LabelledSentences.Sentence::text).toList();
        LOG.info("training the sentiment head: encoding {} labelled sentences with {}", texts.size(), MiniLmEncoder.ID);
        float[][] x = encoder.embed(texts);
        List<float[]> trainX = new ArrayList<>();
        List<Boolean> trainY = new ArrayList<>();
        List<float[]> testX = new ArrayList<>();
        List<Boolean> testY = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (all.get(i).heldOut() ? testX : trainX).add(x[i]);
            (all.get(i).heldOut() ? testY : trainY).add(all.get(i).positive());
        }
        float[][] tx = trainX.toArray(new float[0][]);
        boolean[] ty = toBooleans(trainY);
        LogisticHead head = LogisticHead.fit(tx, ty, LAMBDA, NEWTON_STEPS);
        double trainAccuracy = head.accuracy(tx, ty);
        double heldOut = head.accuracy(testX.toArray(new float[0][]), toBooleans(testY));
        LOG.info("sentiment head trained on {} sentences in {} s: train accuracy {}, held-out accuracy {} ({} sentences)",
                tx.length, String.format("%.1f", (System.nanoTime() - t0) / 1e9), String.format("%.3f", trainAccuracy),
                String.format("%.3f", heldOut), testX.size());
        return new SentimentClassifier(encoder, head, heldOut, trainAccuracy);
    }

    private static boolean[] toBooleans(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** Logits of p(positive), one per text. */
    public double[] logits(List<String> texts) {
        float[][] x = encoder.embed(texts);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = head.logit(x[i]);
        }
        return out;
    }

    /** p(positive), one per text. */
    public double[] probabilities(List<String> texts) {
        double[] z = logits(texts);
        for (int i = 0; i < z.length; i++) {
            z[i] = 1.0 / (1.0 + Math.exp(-z[i]));
        }
        return z;
    }

    /** Accuracy on the held-out fifth of the labelled sentences. */
    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    public double trainAccuracy() {
        return trainAccuracy;
    }

    public EngineChoice engine() {
        return encoder.engine();
    }

    private static SentimentClassifier read(Path file, MiniLmEncoder encoder) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode w = root.path("weights");
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = w.get(i).asDouble();
            }
            double bias = root.path("bias").asDouble();
            if (weights.length == 0 || !digest(weights, bias).equals(root.path("sha256").asText())) {
                LOG.warn("sentiment head {} fails its sha256 check; training it again", file);
                return null;
            }
            return new SentimentClassifier(encoder, new LogisticHead(weights, bias), root.path("held_out_accuracy").asDouble(),
                    root.path("train_accuracy").asDouble());
        } catch (IOException e) {
            LOG.warn("cannot read the sentiment head {} ({}); training it again", file, e.getMessage());
            return null;
        }
    }

    private static void write(Path file, SentimentClassifier c) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("key", HEAD_KEY);
        root.put("encoder", MiniLmEncoder.ID);
        root.put("engine", c.engine().djlName());
        root.put("lambda", LAMBDA);
        root.put("held_out_accuracy", c.heldOutAccuracy);
        root.put("train_accuracy", c.trainAccuracy);
        double[] weights = c.head.weights();
        root.put("bias", c.head.bias());
        ArrayNode w = root.putArray("weights");
        for (double v : weights) {
            w.add(v);
        }
        root.put("sha256", digest(weights, c.head.bias()));
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".head-", ".tmp");
        try {
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** sha256 over the numbers as Java prints them (exact round trip), weights then bias. */
    static String digest(double[] weights, double bias) {
        StringBuilder s = new StringBuilder();
        for (double v : weights) {
            s.append(v).append('\n');
        }
        s.append(bias);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the encoder; the shared instance stays open for the process. */
    @Override
    public void close() {
        if (!SHARED.containsValue(this)) {
            encoder.close();
        }
    }
}

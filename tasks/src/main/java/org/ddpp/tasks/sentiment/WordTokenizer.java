package org.ddpp.tasks.sentiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text task's word-level tokenizer. Splitting ({@link #split}): text is lower-cased (root locale), the quote
 * pairs {@code ``} and {@code ''} and typographic quotes become {@code "}, and the text is cut into words — runs of
 * letters and digits, with inner apostrophes kept ({@code don't}, {@code atlanta's}) — and punctuation, one token
 * per non-space character that is not part of a word ({@code mr.} is {@code mr .}); the literal {@code [UNK]} is one
 * token. Ids: {@value #PAD} = PAD, {@value #UNK} = UNK, then the vocabulary's words from id {@value #FIRST_WORD},
 * most frequent first. Rendering ({@link #render}) joins tokens with single spaces except before closing
 * punctuation ({@code , . ; : ? ! ) } %}), after {@code ( { $}, and inside alternating double
 * quotes; PAD renders as nothing and UNK as {@code [UNK]} (the unknown-word token BERT-style readers know). So for
 * any tokens without PAD, {@code encode(render(x))} gives {@code x} back.
 */
public final class WordTokenizer {

    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int FIRST_WORD = 2;
    public static final String UNK_TEXT = "[UNK]";
    /** How PAD shows where a sequence must show every position (e.g. an invalid one). */
    public static final String PAD_TEXT = "[PAD]";

    private static final Pattern TOKEN = Pattern.compile("\\[unk\\]|[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*|\\S");
    private static final String NO_SPACE_BEFORE = ",.;:?!)}%";
    private static final String NO_SPACE_AFTER = "({$";

    private final List<String> words;
    private final Map<String, Integer> ids;

    /**
     * @param words the vocabulary without PAD and UNK, in id order from {@value #FIRST_WORD}; each must be one token
     *              of {@link #split} and appear once
     */
    public WordTokenizer(List<String> words) {
        this.words = List.copyOf(words);
        this.ids = new HashMap<>(words.size() * 2);
        for (int i = 0; i < this.words.size(); i++) {
            String w = this.words.get(i);
            List<String> parts = split(w);
            if (parts.size() != 1 || !parts.get(0).equals(w)) {
                throw new IllegalArgumentException("vocabulary entry '" + w + "' is not a single token");
            }
            if (ids.put(w, FIRST_WORD + i) != null) {
                throw new IllegalArgumentException("vocabulary entry '" + w + "' appears twice");
            }
        }
    }

    /** The tokens of {@code text} as strings (see the class comment). */
    public static List<String> split(String text) {
        String normal = text.toLowerCase(Locale.ROOT).replace("``", "\"").replace("''", "\"")
                .replace('\u201c', '"').replace('\u201d', '"').replace('\u2018', '\'').replace('\u2019', '\'');
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(normal);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Vocabulary words without PAD and UNK, in id order. */
    public List<String> words() {
        return words;
    }

    /** Number of token ids: the words plus PAD and UNK. */
    public int size() {
        return words.size() + FIRST_WORD;
    }

    /** The id of one split token: its vocabulary id, or UNK. */
    public int id(String token) {
        if (token.equals("[unk]")) {
            return UNK;
        }
        return ids.getOrDefault(token, UNK);
    }

    /** Ids of split tokens, unknown ones as UNK. */
    public int[] ids(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }

    /** {@code text} as exactly {@code length} ids, PAD after the words; longer text is an {@link IllegalArgumentException}. */
    public int[] encode(String text, int length) {
        int[] words = ids(split(text));
        if (words.length > length) {
            throw new IllegalArgumentException("text of " + words.length + " tokens is longer than " + length);
        }
        int[] out = new int[length];
        System.arraycopy(words, 0, out, 0, words.length);
        return out;
    }

    /** The text of one token id; PAD is empty, ids outside the vocabulary show as {@code [MASK]} or {@code [?id]}. */
    public String token(int id) {
        if (id == PAD) {
            return "";
        }
        if (id == UNK) {
            return UNK_TEXT;
        }
        if (id >= FIRST_WORD && id < size()) {
            return words.get(id - FIRST_WORD);
        }
        return id == size() ? "[MASK]" : "[?" + id + "]";
    }

    /** The tokens as one line of text (PAD skipped), spaced as in the class comment. */
    public String render(int[] tokens) {
        StringBuilder out = new StringBuilder();
        boolean quoteOpen = false;
        boolean glueNext = true;
        for (int id : tokens) {
            if (id == PAD) {
                continue;
            }
            String t = token(id);
            boolean glue = glueNext;
            glueNext = false;
            if (t.equals("\"")) {
                if (quoteOpen) {
                    glue = true;
                } else {
                    glueNext = true;
                }
                quoteOpen = !quoteOpen;
            } else if (t.length() == 1 && NO_SPACE_BEFORE.indexOf(t.charAt(0)) >= 0) {
                glue = true;
            } else if (t.length() == 1 && NO_SPACE_AFTER.indexOf(t.charAt(0)) >= 0) {
                glueNext = true;
            }
            if (!glue && out.length() > 0) {
                out.append(' ');
            }
            out.append(t);
        }
        return out.toString();
    }
}

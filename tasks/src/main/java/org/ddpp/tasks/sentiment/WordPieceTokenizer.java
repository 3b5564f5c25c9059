package org.ddpp.tasks.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's uncased WordPiece tokenizer in plain Java, over the vocabulary of a Hugging Face {@code tokenizer.json}
 * (here MiniLM's, 30 522 entries), so no native tokenizer library is needed. Steps, as BERT does them: the special
 * tokens {@code [PAD] [UNK] [CLS] [SEP] [MASK]} written literally are kept whole; the rest is cleaned (control
 * characters dropped, whitespace made spaces), CJK ideographs are set apart, the text is lower-cased and stripped of
 * accents (NFD, combining marks removed), cut at whitespace and around every punctuation character (ASCII symbols
 * and Unicode punctuation); each word is then split greedily into the longest vocabulary pieces from its start,
 * continuation pieces prefixed {@code ##}; a word that cannot be split, or is longer than {@value #MAX_WORD_CHARS}
 * characters, becomes {@code [UNK]}. {@link #encode} frames the pieces as {@code [CLS] ... [SEP]}.
 */
public final class WordPieceTokenizer {

    public static final int MAX_WORD_CHARS = 100;
    private static final String[] SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

    private final Map<String, Integer> vocabulary;
    private final int unk;
    private final int cls;
    private final int sep;
    private final int pad;

    public WordPieceTokenizer(Map<String, Integer> vocabulary) {
        this.vocabulary = Map.copyOf(vocabulary);
        this.unk = require("[UNK]");
        this.cls = require("[CLS]");
        this.sep = require("[SEP]");
        this.pad = require("[PAD]");
    }

    private int require(String token) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the WordPiece vocabulary has no " + token);
        }
        return id;
    }

    /** The vocabulary of the {@code model.vocab} object of a Hugging Face {@code tokenizer.json}. */
    public static WordPieceTokenizer fromTokenizerJson(InputStream json) throws IOException {
        JsonNode vocab = new ObjectMapper().readTree(json).path("model").path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new IOException("tokenizer.json has no model.vocab object");
        }
        Map<String, Integer> out = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asInt());
        }
        return new WordPieceTokenizer(out);
    }

    public int padId() {
        return pad;
    }

    /** Number of vocabulary entries. */
    public int size() {
        return vocabulary.size();
    }

    /** The id of one piece, or [UNK]'s. */
    public int id(String piece) {
        return vocabulary.getOrDefault(piece, unk);
    }

    /** The WordPiece pieces of {@code text}, without [CLS]/[SEP]. */
    public List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int next = text.length();
            String special = null;
            for (String s : SPECIAL) {
                int at = text.indexOf(s, start);
                if (at >= 0 && at < next) {
                    next = at;
                    special = s;
                }
            }
            for (String word : basicWords(text.substring(start, next))) {
                wordPieces(word, out);
            }
            if (special == null) {
                break;
            }
            out.add(special);
            start = next + special.length();
        }
        return out;
    }

    /** {@code [CLS] pieces [SEP]} as ids, the pieces cut to {@code maxLength − 2}. */
    public long[] encode(String text, int maxLength) {
        List<String> pieces = pieces(text);
        int n = Math.min(pieces.size(), maxLength - 2);
        long[] ids = new long[n + 2];
        ids[0] = cls;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = id(pieces.get(i));
        }
        ids[n + 1] = sep;
        return ids;
    }

    /** BERT's basic tokenizer: clean, set CJK apart, lower-case, strip accents, split at spaces and punctuation. */
    static List<String> basicWords(String text) {
        StringBuilder clean = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isCjk(cp)) {
                clean.append(' ').appendCodePoint(cp).append(' ');
            } else {
                clean.appendCodePoint(Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? ' ' : cp);
            }
        });
        String lowered = Normalizer.normalize(clean.toString().toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        lowered.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                return;
            }
            if (cp == ' ') {
                flush(word, words);
            } else if (isPunctuation(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private void wordPieces(String word, List<String> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add("[UNK]");
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            String found = null;
            while (end > start) {
                String candidate = (start > 0 ? "##" : "") + word.substring(start, end);
                if (vocabulary.containsKey(candidate)) {
                    found = candidate;
                    break;
                }
                end = Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 > start ? end - 2 : end - 1;
            }
            if (found == null) {
                out.add("[UNK]");
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}

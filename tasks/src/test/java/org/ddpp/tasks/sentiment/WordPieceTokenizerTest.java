package org.ddpp.tasks.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our BERT WordPiece tokenizer over MiniLM's vocabulary, on words whose pieces and ids are known. */
class WordPieceTokenizerTest {

    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = MiniLmEncoder.tokenizer();
    }

    @Test
    void knownWordsHaveBertsIds() {
        assertEquals(30_522, tokenizer.size());
        assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, tokenizer.encode("Hello, WORLD!", 128));
        assertEquals(6919, tokenizer.id("wonderful"));
        assertEquals(0, tokenizer.padId());
    }

    @Test
    void splitsIntoLongestPiecesAndStripsAccents() {
        assertEquals(List.of("token", "##ization"), tokenizer.pieces("tokenization"));
        assertEquals(List.of("un", "##bel", "##ie", "##va", "##bly"), tokenizer.pieces("Unbelievably"));
        assertEquals(List.of("cafe", "don", "'", "t", "[UNK]", "good", "[SEP]"), tokenizer.pieces("Café don't [UNK] good[SEP]"));
        assertEquals(List.of("a", "-", "b", "(", "c", ")"), tokenizer.pieces("a-b (c)\t\u0007"));
    }

    @Test
    void truncatesToTheMaximumWithClsAndSep() {
        long[] ids = tokenizer.encode("word ".repeat(300), 16);
        assertEquals(16, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[15]);
    }
}

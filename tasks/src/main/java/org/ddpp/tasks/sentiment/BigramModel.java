package org.ddpp.tasks.sentiment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word bigram language model of a text task's corpus, the fixed outside judge of fluency for generated text (our
 * CPU-sized stand-in for the paper's Gen PPL under GPT-2): {@link #perplexity} of samples under a model that no
 * method trains. Sentences are read as their non-PAD tokens between a start symbol and an end symbol. Smoothing is
 * interpolated absolute discounting, {@code P(w|v) = max(c(v,w) − D, 0)/c(v) + D·N₁₊(v·)/c(v) · P₁(w)} with
 * D = {@value #DISCOUNT}, backed off to add-one unigrams {@code P₁} over the vocabulary and the end symbol, so every
 * sequence has a finite perplexity.
 */
public final class BigramModel {

    public static final double DISCOUNT = 0.75;

    private final int vocabSize;
    private final int start;
    private final int end;
    private final Map<Long, Integer> pairs = new HashMap<>();
    private final int[] contextCounts;
    private final int[] followerTypes;
    private final double[] unigram;

    /** Counts the bigrams of {@code sentences} (token ids of a task with {@code vocabSize} tokens; PAD skipped). */
    public BigramModel(List<int[]> sentences, int vocabSize) {
        this.vocabSize = vocabSize;
        this.start = vocabSize;
        this.end = vocabSize;
        this.contextCounts = new int[vocabSize + 1];
        this.followerTypes = new int[vocabSize + 1];
        long[] unigramCounts = new long[vocabSize + 1];
        long total = 0;
        for (int[] s : sentences) {
            int prev = start;
            for (int t : s) {
                if (t == WordTokenizer.PAD) {
                    continue;
                }
                add(prev, t);
                unigramCounts[t]++;
                total++;
                prev = t;
            }
            add(prev, end);
            unigramCounts[end]++;
            total++;
        }
        this.unigram = new double[vocabSize + 1];
        int outcomes = vocabSize; // real tokens except PAD, plus the end symbol
        for (int t = 0; t <= vocabSize; t++) {
            unigram[t] = t == WordTokenizer.PAD ? 0.0 : (unigramCounts[t] + 1.0) / (total + outcomes);
        }
    }

    private void add(int prev, int next) {
        if (pairs.merge(key(prev, next), 1, Integer::sum) == 1) {
            followerTypes[prev]++;
        }
        contextCounts[prev]++;
    }

    private long key(int prev, int next) {
        return (long) prev * (vocabSize + 1) + next;
    }

    /** {@code P(next | prev)}; {@code prev} may be the start symbol ({@code vocabSize}), {@code next} the end symbol. */
    public double probability(int prev, int next) {
        double p1 = unigram[next];
        int c = contextCounts[prev];
        if (c == 0) {
            return p1;
        }
        int pair = pairs.getOrDefault(key(prev, next), 0);
        return Math.max(pair - DISCOUNT, 0) / c + DISCOUNT * followerTypes[prev] / c * p1;
    }

    /** Negative log-likelihood in nats of one sequence (PAD skipped, end symbol included) and its token count. */
    public double[] negativeLogLikelihood(int[] tokens) {
        double nll = 0;
        int count = 0;
        int prev = start;
        for (int t : tokens) {
            if (t == WordTokenizer.PAD) {
                continue;
            }
            if (t < 0 || t >= vocabSize) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            nll -= Math.log(probability(prev, t));
            count++;
            prev = t;
        }
        nll -= Math.log(probability(prev, end));
        return new double[] {nll, count + 1};
    }

    /** Perplexity of {@code samples} pooled over tokens: {@code exp(Σ NLL / Σ tokens)}. */
    public double perplexity(int[][] samples) {
        double nll = 0;
        double tokens = 0;
        for (int[] s : samples) {
            double[] r = negativeLogLikelihood(s);
            nll += r[0];
            tokens += r[1];
        }
        return Math.exp(nll / tokens);
    }
}

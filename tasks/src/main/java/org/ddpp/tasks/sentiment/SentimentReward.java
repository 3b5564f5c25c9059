package org.ddpp.tasks.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * The sentiment reward over token sequences of a {@link TextTask}: each sequence is rendered to text and judged by
 * the {@link SentimentClassifier}, {@code log R(x) = β · log p(positive | x)}, i.e. {@code R = p^β}, a reward
 * tempered by β (the paper's tempered classifier rewards). β is {@value #BETA_PROPERTY} when set, else
 * {@value #DEFAULT_BETA}; larger β asks for more confidently positive text. The default 3 is chosen so that
 * the target {@code p_pre(x)·R(x)} is clearly positive: on Brown sentences (48 % positive) the exact target would
 * be about 75 % positive with β = 1, 88 % with β = 2 and 94 % with β = 3 (from the classifier's histogram of
 * p(positive) over 2 000 corpus sentences). log R ≤ 0, and it is finite (computed
 * as {@code −β·softplus(−logit)}). The classifier is opened on the first call, so constructing the reward is free.
 */
public final class SentimentReward implements RewardFunction {

    public static final String BETA_PROPERTY = "ddpp.sentiment.beta";
    public static final double DEFAULT_BETA = 3.0;

    private final TextTask task;
    private final Supplier<SentimentClassifier> classifier;
    private final double beta;

    public SentimentReward(TextTask task, Supplier<SentimentClassifier> classifier, double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("β must be finite and positive, got " + beta);
        }
        this.task = task;
        this.classifier = classifier;
        this.beta = beta;
    }

    /** The configured β: {@value #BETA_PROPERTY}, else {@value #DEFAULT_BETA}. */
    public static double configuredBeta() {
        String v = System.getProperty(BETA_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_BETA;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BETA_PROPERTY + " must be a number, got '" + v + "'");
        }
    }

    @Override
    public String name() {
        return "sentiment-positive";
    }

    public double beta() {
        return beta;
    }

    /** The rendered texts of {@code sequences}. */
    public List<String> texts(int[][] sequences) {
        List<String> texts = new ArrayList<>(sequences.length);
        for (int[] s : sequences) {
            texts.add(task.render(s));
        }
        return texts;
    }

    /** p(positive) of each sequence. */
    public double[] probabilities(int[][] sequences) {
        return classifier.get().probabilities(texts(sequences));
    }

    @Override
    public double[] logReward(int[][] sequences) {
        if (sequences.length == 0) {
            return new double[0];
        }
        double[] z = classifier.get().logits(texts(sequences));
        for (int i = 0; i < z.length; i++) {
            z[i] = -beta * softplus(-z[i]);
        }
        return z;
    }

    /** log(1 + e^v) without overflow. */
    static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }
}

package org.ddpp.tasks.sentiment;

import java.util.Set;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code sentiment-positive}: a neural sentiment scorer for the {@code sentiment} text task. Each candidate is
 * rendered to its sentence, encoded by MiniLM (ONNX, on the DJL engine chosen by {@value EngineChoice#PROPERTY},
 * OnnxRuntime by default) and judged by a logistic head trained on 2 400 labelled review sentences;
 * {@code log R = β · log p(positive)} (see {@link SentimentReward}; β from {@value SentimentReward#BETA_PROPERTY},
 * default 3). The model loads on the first batch, not when scorers are listed. Candidates that are not valid text
 * sequences (MASK or out-of-vocabulary tokens, all PAD, wrong length) are INVALID. Safe to call from several
 * threads: the encoder runs each batch on its own predictor.
 */
public final class SentimentScorer extends RewardFunctionScorer {

    public static final String NAME = "sentiment-positive";

    public SentimentScorer() {
        super(NAME, "1", Set.of(TextTask.NAME),
                new SentimentReward(new TextTask(), SentimentClassifier::shared, SentimentReward.configuredBeta()));
    }
}

package org.ddpp.tasks.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.tasks.ValidatedReward;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short sentiment fine-tune end to end, on a CPU-test scale: a tiny MDM pre-trained on Brown sentences of up to
 * 12 tokens over a 500-word vocabulary, then DDPP-LB toward the real {@code sentiment-positive} reward (MiniLM +
 * logistic head, the default β = 3). The mean log p(positive) of 512 fresh samples (log R at β = 1) must rise above
 * the pre-trained model's by a clear margin, and the share of positive sentences with it.
 */
class SentimentFineTuneTest {

    private static final Logger LOG = LoggerFactory.getLogger(SentimentFineTuneTest.class);

    @Test
    void ddppLbRaisesThePositiveSentimentReward() {
        TextTask task = new TextTask("sentiment-test", CacheDirectory.get(), new TextCorpus.Settings(500, 12, 1));
        RewardFunction reward = new ValidatedReward(task, new SentimentReward(task, SentimentClassifier::shared,
                SentimentReward.DEFAULT_BETA));
        RewardFunction logP = new ValidatedReward(task, new SentimentReward(task, SentimentClassifier::shared, 1.0));
        PretrainConfig pre = new PretrainConfig(NetworkShape.of(64, 2, 4), 400, 64, 2e-3, 1.0, 7L);
        FineTuneConfig config = FineTuneConfig.builder()
                .optDdpp(DdppConfig.builder().optPolicyLearningRate(1e-3).optWarmupSteps(50)
                        .optResidual(DdppConfig.Residual.JOINT).build()) // as the sentiment profile (docs/fidelity.md)
                .opt(FineTuneSettings.LOG_REWARD_FLOOR, -20.0)
                .opt(FineTuneSettings.STEPS, 400).opt(FineTuneSettings.BATCH_SIZE, 32).opt(FineTuneSettings.REFILL_EVERY, 25).opt(FineTuneSettings.REFILL_SIZE, 128).opt(FineTuneSettings.SAMPLER_STEPS, 12).opt(FineTuneSettings.SEED, 11L).build();
        AncestralSampler sampler = new AncestralSampler(12, true, true, new MaskSchedule());
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result result = Pretraining.run(task, pre, root);
            double[] before = logP.logReward(sampler.sample(result.model(), 512, new SplittableRandom(3)));
            try (OfflineDdppLoop loop = new OfflineDdppLoop(result.model(), reward, config, root)) {
                OfflineDdppLoop.Summary summary = loop.run(null);
                assertEquals(400, summary.steps());
                double[] after = logP.logReward(sampler.sample(loop.learner().policy(), 512, new SplittableRandom(3)));
                LOG.info("sentiment fine-tune: mean log p(positive) {} -> {}, positive share {} -> {} over 512 samples",
                        mean(before), mean(after), positive(before), positive(after));
                assertTrue(mean(after) - mean(before) > 0.25, "mean log p(positive) before " + mean(before) + ", after " + mean(after));
                assertTrue(positive(after) - positive(before) > 0.1, "positive share before " + positive(before) + ", after " + positive(after));
            }
            result.trainer().close();
            result.model().close();
        }
    }

    private static double positive(double[] logP) {
        return Arrays.stream(logP).filter(v -> v > Math.log(0.5)).count() / (double) logP.length;
    }

    private static double mean(double[] logR) {
        return Arrays.stream(logR).map(v -> Math.max(v, -20)).average().orElseThrow();
    }
}

package org.ddpp.tasks.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.FineTuneSettings;
import org.ddpp.trainer.offline.MethodComparison;
import org.ddpp.trainer.offline.MethodResult;
import org.ddpp.trainer.offline.OfflineDdppLoop;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The MNIST profile: its quality figures on real digits, its pictures, and a short DDPP-LB fine-tune of a tiny
 * 14×14 MDM that must raise the mean log R of its samples. Uses the default cache, so the digit classifier trained
 * by the scorers' tests (or on first use here) is reused. The full-size run is {@code ddpp bench mnist}.
 */
class MnistFineTuneTest {

    @Test
    void qualityFiguresOnRealTestDigitsAndPictures(@TempDir Path dir) throws IOException {
        try (MnistProfile profile = new MnistProfile(CacheDirectory.get())) {
            MnistData.Split test = profile.task().data().test();
            int[][] digits = new int[1000][];
            int even = 0;
            for (int i = 0; i < digits.length; i++) {
                digits[i] = test.tokens(i);
                even += test.labels()[i] % 2 == 0 ? 1 : 0;
            }
            Map<String, Double> q = profile.quality(digits, null);
            assertEquals(even / 1000.0, q.get("fraction_even"), 0.03, "classified-even share vs labelled-even share");
            double sum = 0;
            for (int y = 0; y < 10; y++) {
                sum += q.get("class_" + y);
                assertTrue(q.get("class_" + y) > 0.05, "class " + y + " share " + q.get("class_" + y));
            }
            assertEquals(1.0, sum, 1e-9);
            assertTrue(Double.isNaN(q.get("bpd_even_test")), "no model, no BPD");
            // legibility: real digits are labelled with confidence, pixel noise is not
            assertTrue(q.get("legible_share") > 0.85, "legible share of real test digits " + q.get("legible_share"));
            java.util.SplittableRandom noise = new java.util.SplittableRandom(3);
            int[][] blobs = new int[200][digits[0].length];
            for (int[] b : blobs) {
                for (int j = 0; j < b.length; j++) {
                    b[j] = noise.nextInt(4) == 0 ? 1 : 0;
                }
            }
            assertTrue(profile.legibleShare(blobs) < 0.3, "legible share of random pixels " + profile.legibleShare(blobs));
            LoggerFactory.getLogger(MnistFineTuneTest.class).info("legible share: {} of 1 000 test digits, {} of 200 noise images",
                    q.get("legible_share"), profile.legibleShare(blobs));
            assertEquals(500, profile.evenTestDigits(500).length);

            MethodResult r = new MethodResult("pretrained", "test", 1000, 0, q, 1, 1, 0, 0);
            List<Path> pngs = profile.pictures(dir, List.of(new MethodComparison.Outcome(r, digits)));
            assertEquals(List.of(dir.resolve("mnist-pretrained.png")), pngs);
            BufferedImage img = ImageIO.read(pngs.get(0).toFile());
            // 8 digits of 14 pixels at scale 4 with 2-pixel gutters
            assertEquals(8 * (14 * 4 + 2) + 2, img.getWidth());
            assertEquals(img.getWidth(), img.getHeight());
        }
    }

    @Test
    void ddppLbRaisesTheEvenDigitRewardOfATinyModel() {
        try (MnistProfile profile = new MnistProfile(CacheDirectory.get()); NDManager root = NDManager.newBaseManager()) {
            PretrainConfig pre = new PretrainConfig(NetworkShape.of(32, 1, 4), PRETRAIN_STEPS, 32, 3e-3, 1.0, 7L);
            Pretraining.Result result = Pretraining.run(profile.task(), pre, root);
            Mdm reference = result.model();
            RewardFunction reward = profile.reward();
            FineTuneConfig ft = profile.fineTune().opt(FineTuneSettings.STEPS, FINETUNE_STEPS).opt(FineTuneSettings.BATCH_SIZE, 16).opt(FineTuneSettings.REFILL_EVERY, 20)
                    .opt(FineTuneSettings.REFILL_SIZE, 32).opt(FineTuneSettings.SAMPLER_STEPS, 16).optDdpp(org.ddpp.diffusion.train.DdppConfig.builder()
                            .optWarmupSteps(50).optPolicyLearningRate(1e-3)
                            // the profile's residual: the one-step one barely moves 196 pixels in this budget (docs/fidelity.md)
                            .optResidual(org.ddpp.diffusion.train.DdppConfig.Residual.JOINT).build()).build();
            double before = meanLogR(reference, reward, ft.logRewardFloor());
            try (OfflineDdppLoop loop = new OfflineDdppLoop(reference, reward, ft, root)) {
                loop.run(null);
                Mdm policy = loop.learner().policy();
                double after = meanLogR(policy, reward, ft.logRewardFloor());
                LoggerFactory.getLogger(MnistFineTuneTest.class).info("mean log R before {}, after {}", before, after);
                assertTrue(after > before + MARGIN, "mean log R must rise by more than " + MARGIN + " nats: before "
                        + before + ", after " + after);
            }
            double bpd = profile.bitsPerDimensionOfEvenTestDigits(reference);
            assertTrue(bpd > 0.1 && bpd < 1.0, "bits per dimension of even test digits " + bpd);
            result.trainer().close();
            reference.close();
        }
    }

    private static final int PRETRAIN_STEPS = 150;
    private static final int FINETUNE_STEPS = 300;
    private static final double MARGIN = 1.0;

    private static double meanLogR(Mdm model, RewardFunction reward, double floor) {
        int[][] xs = new AncestralSampler(16, true, true, new MaskSchedule()).sample(model, 128, new SplittableRandom(5));
        return Arrays.stream(new LogRewardFloor(reward, floor).logReward(xs)).average().orElseThrow();
    }
}

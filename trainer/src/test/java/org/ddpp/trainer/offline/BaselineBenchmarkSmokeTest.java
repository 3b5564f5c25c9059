package org.ddpp.trainer.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The method comparison end to end with tiny settings: every method reports, costs add up, the report is written. */
class BaselineBenchmarkSmokeTest {

    @Test
    @SuppressWarnings("unchecked")
    void comparesAllMethodsAndWritesTheReport(@TempDir Path dir) throws Exception {
        int k = 300;
        FineTuneConfig ft = FineTuneConfig.builder().opt(FineTuneSettings.STEPS, 40).opt(FineTuneSettings.REFILL_EVERY, 20).opt(FineTuneSettings.REFILL_SIZE, 64)
                .opt(FineTuneSettings.BATCH_SIZE, 64).build();
        BaselineBenchmark.Settings settings = new BaselineBenchmark.Settings(
                PretrainConfig.defaults().withSteps(400), ft, k, 4, 4, 0.0, 100, 13L, dir,
                java.util.List.of(org.ddpp.diffusion.train.Objective.IS), "half-plane");
        Map<String, Object> out = new BaselineBenchmark(settings).run();
        Map<String, Map<String, Object>> methods = (Map<String, Map<String, Object>>) out.get("methods");
        assertEquals(java.util.List.of("pretrained", "best_of_n", "svdd", "ddpp_lb", "ddpp_is"), java.util.List.copyOf(methods.keySet()));
        assertEquals(0L, methods.get("pretrained").get("reward_calls"));
        assertEquals(4L * k, methods.get("best_of_n").get("reward_calls"));
        assertTrue((long) methods.get("svdd").get("reward_calls") >= k);
        // refills at steps 0 and 20, 64 samples each
        assertEquals(128L, methods.get("ddpp_lb").get("reward_calls"));
        // IS also scores M = 16 importance samples per training sample: 40 steps × 64 × 16 more
        assertEquals(128L + 40L * 64 * 16, methods.get("ddpp_is").get("reward_calls"));
        double plain = (double) methods.get("pretrained").get("fraction_r_positive");
        double best = (double) methods.get("best_of_n").get("fraction_r_positive");
        double svdd = (double) methods.get("svdd").get("fraction_r_positive");
        assertTrue(best > plain + 0.2, "best-of-4 R>0 share " + best + " vs pre-trained " + plain);
        assertTrue(svdd > plain + 0.2, "SVDD R>0 share " + svdd + " vs pre-trained " + plain);
        assertTrue(Files.size(dir.resolve("baselines-grid.png")) > 0);
        assertTrue(Files.readString(dir.resolve("baselines-grid.md")).contains("| svdd |"));
    }
}

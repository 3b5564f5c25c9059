package org.ddpp.tasks.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MiniLM + logistic-head sentiment scorer on fixed sentences: its held-out accuracy, clearly positive sentences
 * above clearly negative ones, the scorer SPI with validation, that DJL's default engine stays PyTorch, and that
 * choosing an engine that cannot run here fails with one line.
 */
class SentimentScorerTest {

    private static final List<String> POSITIVE = List.of(
            "i love this wonderful movie.",
            "the food was great and the staff were friendly.",
            "what a beautiful, happy day!",
            "she is a kind and generous friend.");
    private static final List<String> NEGATIVE = List.of(
            "this was a terrible, awful experience.",
            "the service was slow and the food was cold.",
            "i hate waiting in the rain.",
            "he was cruel and dishonest.");

    private static SentimentClassifier classifier;
    private static final TextTask TASK = new TextTask();

    @BeforeAll
    static void open() {
        classifier = SentimentClassifier.shared();
    }

    @Test
    void headReachesItsHeldOutAccuracy() {
        assertEquals(EngineChoice.ONNX_RUNTIME, classifier.engine());
        assertTrue(classifier.heldOutAccuracy() >= 0.85, "held-out accuracy " + classifier.heldOutAccuracy());
        assertTrue(classifier.trainAccuracy() >= classifier.heldOutAccuracy() - 0.02);
    }

    @Test
    void clearlyPositiveSentencesScoreAboveClearlyNegativeOnes() {
        double[] pos = classifier.probabilities(POSITIVE);
        double[] neg = classifier.probabilities(NEGATIVE);
        double lowestPositive = java.util.Arrays.stream(pos).min().orElseThrow();
        double highestNegative = java.util.Arrays.stream(neg).max().orElseThrow();
        assertTrue(lowestPositive > 0.8 && highestNegative < 0.2 && lowestPositive > highestNegative,
                "positive " + java.util.Arrays.toString(pos) + " negative " + java.util.Arrays.toString(neg));
    }

    @Test
    void scorerRendersTokensAndTempersLogProbability() throws Exception {
        Scorer scorer = Scorers.byName(SentimentScorer.NAME);
        assertEquals(Set.of("sentiment"), scorer.tasks());
        int[] good = TASK.encode(POSITIVE.get(0));
        int[] bad = TASK.encode(NEGATIVE.get(0));
        int[] masked = TASK.encode(POSITIVE.get(1));
        masked[2] = TASK.maskId();
        List<ScoreResult> results = scorer.score(List.of(candidate(good), candidate(bad), candidate(masked),
                candidate(new int[TextTask.LENGTH])));
        assertEquals(ScoreStatus.OK, results.get(0).status());
        assertEquals(ScoreStatus.OK, results.get(1).status());
        assertEquals(ScoreStatus.INVALID, results.get(2).status());
        assertEquals(ScoreStatus.INVALID, results.get(3).status());
        double beta = SentimentReward.DEFAULT_BETA;
        assertTrue(results.get(0).logReward() > -0.2 * beta && results.get(1).logReward() < -1.6 * beta,
                "log R " + results.get(0).logReward() + " vs " + results.get(1).logReward());
        double p = classifier.probabilities(List.of(TASK.render(bad)))[0];
        assertEquals(beta * Math.log(p), results.get(1).logReward(), 1e-9, "log R = β log p(positive)");
        SentimentReward tempered = new SentimentReward(TASK, () -> classifier, 3.0);
        assertEquals(3 * Math.log(p), tempered.logReward(new int[][] {bad})[0], 1e-9);
        assertEquals(0, tempered.logReward(new int[0][]).length);
    }

    @Test
    void djlDefaultEngineStaysPyTorch() {
        assertEquals("PyTorch", Engine.getDefaultEngineName());
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        assertTrue(Engine.getAllEngines().contains("OnnxRuntime"));
    }

    @Test
    void tensorRtSelectionFailsWithOneLine() {
        System.setProperty(EngineChoice.PROPERTY, "tensorrt");
        try {
            assertEquals(EngineChoice.TENSORRT, EngineChoice.configured());
        } finally {
            System.clearProperty(EngineChoice.PROPERTY);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> MiniLmEncoder.open(CacheDirectory.get(), EngineChoice.TENSORRT));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("DJL engine TensorRT cannot load: native library "), e.getMessage());
            assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        }
        EngineUnavailableException pt = assertThrows(EngineUnavailableException.class,
                () -> MiniLmEncoder.open(CacheDirectory.get(), EngineChoice.PYTORCH));
        assertFalse(pt.getMessage().contains("\n"));
        assertTrue(pt.getMessage().contains("PyTorch cannot run the MiniLM encoder"), pt.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> EngineChoice.parse("tpu"));
        assertTrue(unknown.getMessage().contains("known: PyTorch, OnnxRuntime, onnx-cuda, onnx-tensorrt, TensorRT"));
        assertEquals(EngineChoice.ONNX_RUNTIME, EngineChoice.parse("OnnxRuntime"));
        assertEquals(EngineChoice.ONNX_CUDA, EngineChoice.parse("onnx-cuda"));
        assertEquals(EngineChoice.ONNX_TENSORRT, EngineChoice.parse("ONNX_TENSORRT"));
        if (Engine.getEngine("OnnxRuntime").getGpuCount() == 0) {
            for (EngineChoice gpu : List.of(EngineChoice.ONNX_CUDA, EngineChoice.ONNX_TENSORRT)) {
                EngineUnavailableException none = assertThrows(EngineUnavailableException.class,
                        () -> MiniLmEncoder.open(CacheDirectory.get(), gpu));
                assertFalse(none.getMessage().contains("\n"), none.getMessage());
                assertTrue(none.getMessage().contains("needs a GPU"), none.getMessage());
            }
        }
        assertEquals("PyTorch", Engine.getDefaultEngineName());
    }

    private static Candidate candidate(int[] tokens) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("c").setRun("r").setTask("sentiment").setTokens(list).setText("")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1L)
                .setCreatedAt(Instant.EPOCH).build();
    }
}

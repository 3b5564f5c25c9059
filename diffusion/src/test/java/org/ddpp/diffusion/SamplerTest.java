package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.ExactTwoTokenDistribution;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.sample.FirstHitSampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Samplers against the exactly enumerated distribution of a trained two-token model. */
class SamplerTest {

    /** Chi-square critical value for 24 degrees of freedom at p = 0.001. */
    private static final double CHI2_24_P001 = 51.18;
    private static final int N = 20_000;

    private static NDManager root;
    private static Mdm model;
    private static double[] exact;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        model = TinyModels.pretrained(root, 800, 1);
        exact = ExactTwoTokenDistribution.of(model);
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    private static double chiSquare(int[][] samples) {
        double[] counts = new double[25];
        for (int[] s : samples) {
            counts[s[0] * 5 + s[1]]++;
        }
        double chi2 = 0;
        for (int i = 0; i < 25; i++) {
            double e = exact[i] * samples.length;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        return chi2;
    }

    @Test
    void pretrainedModelIsCloseToItsPrior() {
        assertTrue(Distributions.totalVariation(exact, TinyTask.PRIOR) < 0.08,
                "TV(model, prior) = " + Distributions.totalVariation(exact, TinyTask.PRIOR));
    }

    @Test
    void firstHitSamplerMatchesTheExactDistribution() {
        int[][] samples = new FirstHitSampler().sample(model, N, new SplittableRandom(42));
        double chi2 = chiSquare(samples);
        assertTrue(chi2 < CHI2_24_P001, "chi-square " + chi2 + " over 24 df");
    }

    @Test
    void meanFieldOneStepSamplerIsDetectablyDifferent() {
        // One ancestral step samples both tokens independently from mu(MM): it ignores the prior's correlation.
        // The same test must reject it, or it has no power.
        int[][] samples = new AncestralSampler(1, true, false, new MaskSchedule()).sample(model, N, new SplittableRandom(42));
        double chi2 = chiSquare(samples);
        assertTrue(chi2 > 10 * CHI2_24_P001, "mean-field sampler not rejected: chi-square " + chi2);
    }

    @Test
    void manyStepAncestralSamplerIsCloseAndCachingChangesNothing() {
        AncestralSampler cached = new AncestralSampler(64, true, true, new MaskSchedule());
        AncestralSampler uncached = new AncestralSampler(64, false, true, new MaskSchedule());
        int[][] a = cached.sample(model, 4000, new SplittableRandom(7));
        int[][] b = uncached.sample(model, 4000, new SplittableRandom(7));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "caching changed sample " + i);
        }
        assertTrue(cached.rowsEvaluated() * 5 < uncached.rowsEvaluated(),
                "caching saved too little: " + cached.rowsEvaluated() + " vs " + uncached.rowsEvaluated());
        double tv = Distributions.totalVariation(Distributions.histogram(a, 5), exact);
        // both tokens unmask in the same step with probability ~1/64; sampling noise with 4 000 draws ~0.03
        assertTrue(tv < 0.06, "TV(ancestral histogram, exact) = " + tv);
    }

    @Test
    void seedsReproduceSamples() {
        int[][] a = new FirstHitSampler().sample(model, 50, new SplittableRandom(9));
        int[][] b = new FirstHitSampler().sample(model, 50, new SplittableRandom(9));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }
}

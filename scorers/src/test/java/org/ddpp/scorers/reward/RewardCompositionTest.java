package org.ddpp.scorers.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ddpp.diffusion.reward.RewardFunction;
import org.junit.jupiter.api.Test;

/** The one reward formula: weights, order, floor, parsing, and the exact in-process form built on it. */
class RewardCompositionTest {

    @Test
    void combinesWeightedLogRewardsAndClampsAtTheFloor() {
        RewardComposition c = RewardComposition.parse("grid-half-plane=2, grid-center=0.5", -20);
        assertEquals(List.of("grid-half-plane", "grid-center"), c.names());
        org.ddpp.schemas.reward.RewardFormula.Combined ok = c.combine(new double[] {-1.0, -2.0});
        assertEquals(-3.0, ok.logReward());
        assertFalse(ok.clamped());
        org.ddpp.schemas.reward.RewardFormula.Combined zero = c.combine(new double[] {Double.NEGATIVE_INFINITY, 0.0});
        assertEquals(-20.0, zero.logReward());
        assertTrue(zero.clamped());
        assertEquals(Double.NEGATIVE_INFINITY, zero.raw());
        assertEquals(-20.0, c.combine(new double[] {-10.0, -0.5}).logReward());
        assertTrue(c.combine(new double[] {-10.0, -0.5}).clamped());
    }

    @Test
    void rejectsBadConfigurationAndUnusableValues() {
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("a=0", -20));
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("a=-1", -20));
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("a=x", -20));
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("a,a", -20));
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("", -20));
        assertThrows(IllegalArgumentException.class, () -> RewardComposition.parse("a", 0));
        RewardComposition c = RewardComposition.parse("a", -20);
        assertEquals(1.0, c.weight("a"));
        assertThrows(IllegalArgumentException.class, () -> c.combine(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> c.combine(new double[] {Double.POSITIVE_INFINITY}));
    }

    @Test
    void exactRewardOfTheDefaultCompositionMatchesTheFormulaOnGridPoints() {
        RewardComposition c = RewardComposition.defaults();
        RewardFunction exact = ExactRewards.of(c);
        double[] logR = exact.logReward(new int[][] {{64, 64}, {100, 0}, {10, 64}, {127, 96}});
        assertEquals(0.0, logR[0]);
        assertEquals(-1.0, logR[1]);
        assertEquals(-20.0, logR[2]);
        assertEquals(-0.5, logR[3]);
        RewardFunction tempered = ExactRewards.of(RewardComposition.parse("grid-center=3", -2));
        assertEquals(-2.0, tempered.logReward(new int[][] {{0, 0}})[0]);
        assertEquals(-1.5, tempered.logReward(new int[][] {{0, 32}})[0]);
        assertThrows(IllegalArgumentException.class, () -> ExactRewards.of(RewardComposition.parse("nope", -20)));
    }

    @Test
    void aGridTargetsNameStandsForItsScorerAndItsParametersAreOfflineOnly() {
        RewardComposition c = RewardComposition.parse("checkerboard", -20);
        assertEquals(java.util.List.of("grid-checkerboard"), c.names());
        assertEquals(java.util.List.of("grid-coupling", "grid-center"), RewardComposition.parse("coupling=2,grid-center", -20).names());
        assertEquals(-20.0, ExactRewards.of(c).logReward(new int[][] {{16, 48}})[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardComposition.parse("annulus:inner=5,outer=9", -20));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("offline only"), e.getMessage());
    }
}

package org.ddpp.schemas.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.junit.jupiter.api.Test;

/** The reward formula every role applies, and the rules a reward configuration must meet. */
class RewardFormulaTest {

    private static RewardConfig config(List<RewardTerm> terms, double floor, double beta) {
        return RewardConfig.newBuilder().setRun("r").setVersion(1).setScorers(terms).setFloor(floor).setBeta(beta)
                .setSetBy("t").setSetAt(Instant.EPOCH).setReason(null).build();
    }

    @Test
    void combinesWithBetaFoldedInAndTheFloorAndNeedsEveryTerm() {
        RewardConfig c = config(List.of(new RewardTerm("a", 1.0), new RewardTerm("b", 0.5)), -20, 2.0);
        assertEquals(2.0 * (-1.0 + 0.5 * -4.0), RewardFormula.combine(c, Map.of("a", -1.0, "b", -4.0)).orElseThrow().logReward(), 1e-12);
        RewardFormula.Combined low = RewardFormula.combine(c, Map.of("a", Double.NEGATIVE_INFINITY, "b", 0.0)).orElseThrow();
        assertEquals(-20.0, low.logReward());
        assertTrue(low.clamped());
        assertTrue(RewardFormula.combine(c, Map.of("a", -1.0)).isEmpty(), "b's term is missing");
        assertThrows(IllegalArgumentException.class, () -> RewardFormula.combine(c, Map.of("a", Double.NaN, "b", 0.0)));
    }

    @Test
    void aConfigurationThatCannotApplyIsNamedWithItsReason() {
        assertNull(RewardFormula.problem(config(List.of(new RewardTerm("a", 1.0)), -20, 1.0)));
        assertTrue(RewardFormula.problem(config(List.of(), -20, 1.0)).contains("without a required scorer"));
        assertTrue(RewardFormula.problem(config(List.of(new RewardTerm("a", 1.0), new RewardTerm("a", 2.0)), -20, 1.0)).contains("listed twice"));
        assertTrue(RewardFormula.problem(config(List.of(new RewardTerm("a", Double.NaN)), -20, 1.0)).contains("weight of scorer a"));
        assertTrue(RewardFormula.problem(config(List.of(new RewardTerm("a", 1.0)), 0, 1.0)).contains("floor"));
        assertTrue(RewardFormula.problem(config(List.of(new RewardTerm("a", 1.0)), -20, Double.POSITIVE_INFINITY)).contains("beta"));
        List<RewardTerm> many = new ArrayList<>();
        for (int i = 0; i <= RewardFormula.MAX_TERMS; i++) {
            many.add(new RewardTerm("s" + i, 1.0));
        }
        assertTrue(RewardFormula.problem(config(many, -20, 1.0)).contains("more than " + RewardFormula.MAX_TERMS));
    }
}

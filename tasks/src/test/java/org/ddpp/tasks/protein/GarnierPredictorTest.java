package org.ddpp.tasks.protein;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EMBOSS garnier run from Java on known proteins: the in-process form of the external garnier-sheet scorer. */
class GarnierPredictorTest {

    private static final String SHEET_RICH = "VIVIVTVYVEVTVKVIVTVYVEVIVTVYV";
    private static final String HELIX_RICH = "AEELLKKAEELLKKAEELLKKAEELLKKA";

    private final GarnierPredictor garnier = new GarnierPredictor();

    @BeforeAll
    static void needsEmboss() {
        boolean required = System.getenv("DDPP_REQUIRE_CONFORMANCE") != null;
        boolean here = new GarnierPredictor().available();
        if (required) {
            assertTrue(here, "garnier is missing: apt-get install emboss");
        }
        Assumptions.assumeTrue(here, "garnier (Debian emboss) is not installed");
    }

    @Test
    void aSheetRichProteinIsPredictedSheetAndAHelixRichOneHelix() throws IOException {
        List<GarnierPredictor.Structure> s = garnier.predict(List.of(SHEET_RICH, HELIX_RICH));
        assertEquals(2, s.size());
        assertTrue(s.get(0).sheet() > 0.5, "sheet-rich: " + s.get(0));
        assertTrue(s.get(1).helix() > 0.5, "helix-rich: " + s.get(1));
        assertTrue(s.get(1).sheet() < s.get(0).sheet());
        for (GarnierPredictor.Structure x : s) {
            assertEquals(1.0, x.helix() + x.sheet() + x.turn() + x.coil(), 1e-9, "fractions of every residue: " + x);
        }
    }

    @Test
    void theRewardIsTheExternalScorersRuleLogOfTheFlooredSheetFraction() throws IOException {
        ProteinTask task = new ProteinTask();
        GarnierSheetReward reward = new GarnierSheetReward(task, garnier);
        double[] logR = reward.logReward(new int[][] {task.encode(SHEET_RICH), task.encode(HELIX_RICH)});
        List<GarnierPredictor.Structure> s = garnier.predict(List.of(SHEET_RICH, HELIX_RICH));
        assertEquals(Math.log(Math.max(s.get(0).sheet(), 0.01)), logR[0], 1e-12);
        assertEquals(Math.log(Math.max(s.get(1).sheet(), 0.01)), logR[1], 1e-12);
        assertTrue(logR[0] > logR[1]);
    }

    @Test
    void aMissingExecutableIsOneReadableLine() {
        GarnierPredictor missing = new GarnierPredictor("/nonexistent/garnier");
        assertTrue(!missing.available());
        IOException e = assertThrows(IOException.class, () -> missing.predict(List.of(SHEET_RICH)));
        assertTrue(e.getMessage().contains("install Debian's emboss"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}

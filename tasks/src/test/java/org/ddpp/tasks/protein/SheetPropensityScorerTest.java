package org.ddpp.tasks.protein;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.junit.jupiter.api.Test;

/** The Chou–Fasman sheet scorer on fixed proteins, its validation, and its discovery through ServiceLoader. */
class SheetPropensityScorerTest {

    private static final String SHEET_RICH = "VIVIVTVYVEVTVKVIVTVYVEVIVTVYV";
    private static final String HELIX_RICH = "AEELLKKAEELLKKAEELLKKAEELLKKA";
    private static final ProteinTask TASK = new ProteinTask();

    @Test
    void tableAndWindowRuleOnKnownProteins() {
        assertEquals(1.70, SheetPropensity.of(TASK.encode("V")[0]));
        assertEquals(0.37, SheetPropensity.of(TASK.encode("E")[0]));
        assertEquals(0.55, SheetPropensity.of(TASK.encode("P")[0]));
        assertEquals(1.0, SheetReward.sheetFraction(TASK.encode(SHEET_RICH)));
        assertEquals(0.0, SheetReward.sheetFraction(TASK.encode(HELIX_RICH)));
        // VIVIV between glutamates: windows starting at 4..8 reach a mean >= 1.05 (EEVIV: 5.74 / 5 = 1.148), the one
        // at 9 does not (IVEEE: 0.882), so positions 4..12 are sheet, 9 of 17 residues
        assertEquals(9.0 / 17, SheetReward.sheetFraction(TASK.encode("EEEEEEVIVIVEEEEEE")));
        // shorter than the window: the whole protein is one window (mean of V, V, E = 1.257 >= 1.05)
        assertEquals(1.0, SheetReward.sheetFraction(TASK.encode("VVE")));
        assertEquals(0.0, SheetReward.sheetFraction(TASK.encode("EEV")));
    }

    @Test
    void sheetRichScoresAboveHelixRich() {
        List<ScoreResult> results = new SheetPropensityScorer().score(List.of(
                candidate(TASK.encode(SHEET_RICH)), candidate(TASK.encode(HELIX_RICH))));
        assertEquals(ScoreResult.ok(Math.log(1.01)), results.get(0));
        assertEquals(ScoreResult.ok(Math.log(0.01)), results.get(1));
        assertTrue(results.get(0).logReward() > results.get(1).logReward());
    }

    @Test
    void nonProteinTokensAreInvalidWithoutSpoilingTheBatch() {
        int[] masked = TASK.encode(SHEET_RICH);
        masked[3] = TASK.maskId();
        int[] innerPad = TASK.encode(SHEET_RICH);
        innerPad[2] = ProteinTask.PAD;
        int[] allPad = TASK.encode("");
        List<ScoreResult> results = new SheetPropensityScorer().score(List.of(candidate(masked), candidate(innerPad),
                candidate(allPad), candidate(new int[] {1, 2, 3}), candidate(TASK.encode("VIVIV"))));
        for (int i = 0; i < 4; i++) {
            assertEquals(ScoreStatus.INVALID, results.get(i).status(), String.valueOf(i));
        }
        assertTrue(results.get(0).reason().contains("outside the vocabulary"), results.get(0).reason());
        assertTrue(results.get(1).reason().contains("PAD at position 2"), results.get(1).reason());
        assertTrue(results.get(2).reason().contains("no residues"), results.get(2).reason());
        assertTrue(results.get(3).reason().contains("expected 64 tokens"), results.get(3).reason());
        assertEquals(ScoreResult.ok(Math.log(1.01)), results.get(4));
    }

    @Test
    void serviceLoaderFindsItWithItsExactReward() {
        Scorer scorer = Scorers.byName("protein-sheet");
        assertEquals(java.util.Set.of("protein"), scorer.tasks());
        double[] exact = scorer.exactReward().orElseThrow().logReward(new int[][] {TASK.encode(HELIX_RICH)});
        assertEquals(Math.log(0.01), exact[0]);
        assertEquals(Math.log(0.01) * 2, new SheetReward(2.0).logReward(new int[][] {TASK.encode(HELIX_RICH)})[0], 1e-12);
    }

    private static Candidate candidate(int[] tokens) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("c").setRun("r").setTask("protein").setTokens(list).setText("")
                .setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1L)
                .setCreatedAt(Instant.EPOCH).build();
    }
}

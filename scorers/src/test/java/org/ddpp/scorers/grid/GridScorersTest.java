package org.ddpp.scorers.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.junit.jupiter.api.Test;

/** The built-in grid scorers on fixed points, their validation, and their discovery through ServiceLoader. */
class GridScorersTest {

    @Test
    void halfPlaneIsZeroOnTheRightHalfAndMinusInfinityOnTheLeft() {
        List<ScoreResult> results = new GridHalfPlaneScorer().score(List.of(
                candidate("grid", 64, 0), candidate("grid", 127, 127), candidate("grid", 63, 64), candidate("grid", 0, 5)));
        assertEquals(List.of(ScoreResult.ok(0.0), ScoreResult.ok(0.0),
                ScoreResult.ok(Double.NEGATIVE_INFINITY), ScoreResult.ok(Double.NEGATIVE_INFINITY)), results);
    }

    @Test
    void centerPenalisesDistanceFromRow64OnTheSecondCoordinate() {
        List<ScoreResult> results = new GridCenterScorer().score(List.of(
                candidate("grid", 0, 64), candidate("grid", 100, 0), candidate("grid", 3, 127), candidate("grid", 64, 80)));
        assertEquals(0.0, results.get(0).logReward());
        assertEquals(-1.0, results.get(1).logReward());
        assertEquals(-63.0 / 64, results.get(2).logReward());
        assertEquals(-0.25, results.get(3).logReward());
    }

    @Test
    void outOfVocabularyWrongLengthAndForeignTasksAreInvalidWithoutSpoilingTheBatch() {
        List<ScoreResult> results = new GridCenterScorer().score(List.of(
                candidate("grid", 128, 64), candidate("grid", 10), candidate("text", 1, 2), candidate("grid", 1, 64)));
        assertEquals(ScoreStatus.INVALID, results.get(0).status());
        assertTrue(results.get(0).reason().contains("outside the vocabulary"), results.get(0).reason());
        assertEquals(ScoreStatus.INVALID, results.get(1).status());
        assertTrue(results.get(1).reason().contains("expected 2 tokens"), results.get(1).reason());
        assertEquals(ScoreStatus.INVALID, results.get(2).status());
        assertEquals(ScoreResult.ok(0.0), results.get(3));
    }

    @Test
    void serviceLoaderFindsBothScorersWithTheirExactRewards() {
        assertTrue(Scorers.names().containsAll(List.of("grid-center", "grid-half-plane")), Scorers.names().toString());
        Scorer center = Scorers.byName("grid-center");
        assertEquals("1", center.version());
        assertTrue(center.accepts("grid"));
        assertEquals(-0.5, center.exactReward().orElseThrow().logReward(new int[][] {{0, 32}})[0]);
    }

    @Test
    void everyGridTargetHasAScorerWhoseRewardIsTheTargetsOnEveryCell() {
        int[][] all = new int[128 * 128][];
        for (int a = 0; a < 128; a++) {
            for (int b = 0; b < 128; b++) {
                all[a * 128 + b] = new int[] {a, b};
            }
        }
        for (String target : org.ddpp.diffusion.reward.GridTargets.SUITE) {
            Scorer scorer = Scorers.byName(org.ddpp.diffusion.reward.GridTargets.scorerName(target));
            assertTrue(scorer.accepts("grid"), target);
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    org.ddpp.diffusion.reward.GridTargets.parse(target).logReward(all),
                    scorer.exactReward().orElseThrow().logReward(all), target);
        }
        assertEquals(ScoreResult.ok(Double.NEGATIVE_INFINITY),
                new GridCheckerboardScorer().score(List.of(candidate("grid", 16, 48))).get(0));
        assertEquals(ScoreResult.ok(-2.0), new GridCouplingScorer().score(List.of(candidate("grid", 40, 8))).get(0));
    }

    static Candidate candidate(String task, Integer... tokens) {
        return Candidate.newBuilder().setId("c-" + List.of(tokens)).setRun("r").setTask(task).setTokens(List.of(tokens))
                .setText("").setPolicyVersion(0).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1)
                .setCreatedAt(Instant.ofEpochMilli(0)).build();
    }
}

package org.ddpp.scorers.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ddpp.testkit.TestStack;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.CandidateCheck;
import org.ddpp.tasks.protein.SheetReward;
import org.junit.jupiter.api.Test;

/**
 * The external JavaScript scorer {@code scorers/external/js/scorer.js} (kafkajs, @confluentinc/schemaregistry) end
 * to end on the embedded broker and registry: its Scores decode with our deserializer and carry exactly the log
 * rewards of the built-in Java scorer {@code protein-sheet}, whose Chou–Fasman rule it reimplements.
 */
class JsSheetScorerTest {

    private static final Path SCORER = Path.of("external/js").toAbsolutePath().normalize();

    @Test
    void scoresProteinCandidatesLikeTheJavaScorer() throws Exception {
        ExternalScorers.require(Files.isDirectory(SCORER.resolve("node_modules/@confluentinc/schemaregistry"))
                && Files.isDirectory(SCORER.resolve("node_modules/kafkajs")), "run `npm ci` in " + SCORER);
        TestStack stack = TestStack.get();
        String run = "run-js-sheet-" + UUID.randomUUID();
        List<Candidate> candidates = ExternalScorers.proteinCandidates(run);
        ExternalScorers.publish(stack, candidates);

        ExternalScorers.runScorer(SCORER, 3, List.of("node", "scorer.js", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--group", "test-" + run, "--run", run,
                "--max-candidates", "3", "--max-seconds", "45"));

        Map<String, Score> scores = ExternalScorers.scores(stack, candidates);
        SheetReward java = new SheetReward();
        for (Candidate c : candidates.subList(0, 2)) {
            Score s = scores.get(c.getId());
            assertEquals(ScoreStatus.OK, s.getStatus(), s.toString());
            assertEquals("js-sheet", s.getScorer());
            assertEquals(java.logReward(new int[][] {CandidateCheck.tokens(c)})[0], s.getLogReward(), 1e-12, s.toString());
        }
        assertTrue(scores.get(candidates.get(0).getId()).getLogReward() > scores.get(candidates.get(1).getId()).getLogReward());
        Score invalid = scores.get(candidates.get(2).getId());
        assertEquals(ScoreStatus.INVALID, invalid.getStatus());
        assertNull(invalid.getLogReward());
    }
}

package org.ddpp.scorers.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ddpp.testkit.TestStack;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.junit.jupiter.api.Test;

/**
 * The external Python scorer {@code scorers/external/python/scorer.py} (EMBOSS garnier, Debian's Confluent client)
 * end to end on the embedded broker and registry: it reads protein candidates our Java producer wrote and writes
 * Scores our Java deserializer reads, with a sheet-rich protein above a helix-rich one and a masked sequence
 * INVALID; a killed instance is fenced by its restart, undecodable records are dead-lettered in the transaction of
 * the batch, and an error inside a transaction aborts it.
 */
class GarnierScorerTest {

    private static final Path SCORER = Path.of("external/python").toAbsolutePath().normalize();
    private static final String PYTHON = "/usr/bin/python3";
    private static final String GARNIER = "/usr/bin/garnier";

    private static void requireTools() throws Exception {
        boolean python = Files.isExecutable(Path.of(PYTHON)) && new ProcessBuilder(PYTHON, "-c",
                "import confluent_kafka.avro, avro, requests").start().waitFor() == 0;
        ExternalScorers.require(python && Files.isExecutable(Path.of(GARNIER)),
                "apt-get install emboss python3-confluent-kafka python3-avro python3-requests");
    }

    @Test
    void brokenPredictorIsFailedAndAMissingScoreSchemaStopsWithOneLine() throws Exception {
        requireTools();
        Process batch = new ProcessBuilder(PYTHON, "-c", "import json, scorer; a = scorer.options(['--garnier', '/nonexistent/garnier']);"
                + " t = [scorer.AMINO_ACIDS.index(r) for r in 'VIVIV'] + [scorer.PAD] * (scorer.LENGTH - 5);"
                + " print(json.dumps([s['status'] + ' ' + s['details']['reason'] for s in scorer.score_batch("
                + "[{'id': 'a', 'run': 'r', 'text': 'VIVIV', 'tokens': t}, {'id': 'b', 'run': 'r', 'text': 'VI?V', 'tokens': t},"
                + " {'id': 'c', 'run': 'r', 'text': 'VIVIV', 'tokens': t[:3]}], a)]))")
                .directory(SCORER.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(batch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, batch.waitFor(), out);
        assertTrue(out.contains("FAILED /nonexistent/garnier not found: apt-get install emboss"), out);
        assertTrue(out.contains("INVALID text 'VI?V' is not the rendering 'VIVIV' of the tokens"), out);
        assertTrue(out.contains("INVALID expected 64 tokens, got 3"), out);

        TestStack stack = TestStack.get();
        Process missing = new ProcessBuilder(PYTHON, "scorer.py", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--scores-topic", "nope-" + UUID.randomUUID())
                .directory(SCORER.toFile()).redirectErrorStream(true).start();
        String line = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, missing.waitFor(), line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("no schema registered under nope-"), line);
    }

    /** A record whose schema cannot be fetched because the registry does not answer is not dead-lettered. */
    @Test
    void anUnreachableRegistryIsNoReasonToDeadLetter() throws Exception {
        requireTools();
        Process decode = new ProcessBuilder(PYTHON, "-c", "import scorer\n"
                + "from confluent_kafka.avro.serializer.message_serializer import MessageSerializer\n"
                + "class Record:\n    def value(self): return b'\\x00\\x00\\x00\\x00\\x07abc'\n"
                + "for url in ['http://127.0.0.1:1', None]:\n"
                + "    registry = scorer.Registry({'url': url or 'http://127.0.0.1:1'})\n"
                + "    if url is None: registry._session.request = lambda *a, **k: type('R', (), {'status_code': 503, 'json': lambda s: {}})()\n"
                + "    try: print('dead-lettered:', scorer.decode(MessageSerializer(registry), Record())[1])\n"
                + "    except scorer.RegistryDown as e: print('registry down:', e)\n")
                .directory(SCORER.toFile()).redirectErrorStream(true).start();
        String out = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, decode.waitFor(), out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("registry down: ")).count(), out);
        assertTrue(out.contains("schema registry answered 503"), out);
    }

    @Test
    void scoresProteinCandidatesFromTheBrokerWithGarnier() throws Exception {
        requireTools();
        TestStack stack = TestStack.get();
        String run = "run-garnier-" + UUID.randomUUID();
        List<Candidate> candidates = new ArrayList<>(ExternalScorers.proteinCandidates(run));
        candidates.addAll(ExternalScorers.invalidCandidates(run));
        ExternalScorers.publish(stack, candidates);

        ExternalScorers.runScorer(SCORER, 6, List.of(PYTHON, "scorer.py", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--group", "test-" + run, "--run", run,
                "--max-candidates", "6", "--max-seconds", "45", "--garnier", GARNIER));

        Map<String, Score> scores = ExternalScorers.scores(stack, candidates);
        Score sheet = scores.get(candidates.get(0).getId());
        Score helix = scores.get(candidates.get(1).getId());
        for (Score s : List.of(sheet, helix)) {
            assertEquals(ScoreStatus.OK, s.getStatus(), s.toString());
            assertEquals("garnier-sheet", s.getScorer());
            assertEquals(run, s.getRun());
            assertTrue(s.getLogReward() <= 0.0 && s.getLogReward() >= Math.log(0.01), s.toString());
        }
        assertTrue(sheet.getLogReward() > helix.getLogReward(), sheet + " vs " + helix);
        assertTrue(Double.parseDouble(sheet.getDetails().get("sheet")) > 0.5, sheet.toString());
        assertEquals(Math.log(0.01), helix.getLogReward(), 1e-9, "garnier predicts the helix-rich protein all helix");
        List<Candidate> invalid = candidates.subList(2, candidates.size()); // the masked one, then text-only proteins
        ExternalScorers.assertInvalidWithTheJavaReasons(invalid, scores);
    }

    @Test
    void aScorerKilledInsideItsTransactionIsFencedByItsRestartAndEveryCandidateIsScoredOnce() throws Exception {
        requireTools();
        ExternalScorers.scoresOnceAcrossAKill(SCORER, "garnier-sheet", List.of(PYTHON, "scorer.py", "--garnier", GARNIER));
    }

    @Test
    void anErrorInsideATransactionAbortsItAndTheBatchIsReadAgain() throws Exception {
        requireTools();
        ExternalScorers.abortsOnAnErrorInsideATransaction(SCORER, List.of(PYTHON, "scorer.py", "--garnier", GARNIER));
    }

    @Test
    void sigtermCommitsTheTransactionInHandAndExitsZero() throws Exception {
        requireTools();
        ExternalScorers.stopsCleanlyOnSigterm(SCORER, List.of(PYTHON, "scorer.py", "--garnier", GARNIER));
    }
}

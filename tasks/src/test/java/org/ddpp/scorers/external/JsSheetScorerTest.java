package org.ddpp.scorers.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * rewards of the built-in Java scorer {@code protein-sheet}, whose Chou–Fasman rule it reimplements; invalid
 * candidates get the reasons of the Java check, a killed instance is fenced by its restart, undecodable records are
 * dead-lettered in the transaction of the batch, and a stalled instance the group moved on from does not commit.
 */
class JsSheetScorerTest {

    private static final Path SCORER = Path.of("external/js").toAbsolutePath().normalize();

    private static void requireTools() {
        ExternalScorers.require(Files.isDirectory(SCORER.resolve("node_modules/@confluentinc/schemaregistry"))
                && Files.isDirectory(SCORER.resolve("node_modules/kafkajs")), "run `npm ci` in " + SCORER);
    }

    /** A record whose schema cannot be fetched because the registry does not answer (refused, 503) is not dead-lettered. */
    @Test
    void anUnreachableRegistryIsNoReasonToDeadLetter() throws Exception {
        requireTools();
        String script = """
                const http = require('http');
                const scorer = require('./scorer');
                const { SchemaRegistryClient, SerdeType, AvroDeserializer } = require('@confluentinc/schemaregistry');
                const record = { key: null, value: Buffer.from([0, 0, 0, 0, 7, 1, 2, 3]), headers: {} };
                const server = http.createServer((q, r) => { r.writeHead(503); r.end(); }).listen(0, '127.0.0.1', async () => {
                  for (const url of ['http://127.0.0.1:1', 'http://127.0.0.1:' + server.address().port]) {
                    const d = new AvroDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
                    try { console.log('dead-lettered: ' + (await scorer.decode(d, 't', record)).reason); } catch (e) { console.log('registry down: ' + e.message); }
                  }
                  server.close();
                });
                """;
        Process decode = new ProcessBuilder("node", "-e", script).directory(SCORER.toFile()).redirectErrorStream(true).start();
        String out = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, decode.waitFor(), out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("registry down: ")).count(), out);
    }

    @Test
    void scoresProteinCandidatesLikeTheJavaScorer() throws Exception {
        requireTools();
        TestStack stack = TestStack.get();
        String run = "run-js-sheet-" + UUID.randomUUID();
        List<Candidate> candidates = new ArrayList<>(ExternalScorers.proteinCandidates(run));
        candidates.addAll(ExternalScorers.invalidCandidates(run));
        ExternalScorers.publish(stack, candidates);

        ExternalScorers.runScorer(SCORER, 6, List.of("node", "scorer.js", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--group", "test-" + run, "--run", run,
                "--max-candidates", "6", "--max-seconds", "45"));

        Map<String, Score> scores = ExternalScorers.scores(stack, candidates);
        SheetReward java = new SheetReward();
        for (Candidate c : candidates.subList(0, 2)) {
            Score s = scores.get(c.getId());
            assertEquals(ScoreStatus.OK, s.getStatus(), s.toString());
            assertEquals("js-sheet", s.getScorer());
            assertEquals(java.logReward(new int[][] {CandidateCheck.tokens(c)})[0], s.getLogReward(), 1e-12, s.toString());
        }
        assertTrue(scores.get(candidates.get(0).getId()).getLogReward() > scores.get(candidates.get(1).getId()).getLogReward());
        List<Candidate> invalid = candidates.subList(2, candidates.size()); // the masked one, then text-only proteins
        ExternalScorers.assertInvalidWithTheJavaReasons(invalid, scores);
    }

    @Test
    void aScorerKilledInsideItsTransactionIsFencedByItsRestartAndEveryCandidateIsScoredOnce() throws Exception {
        requireTools();
        ExternalScorers.scoresOnceAcrossAKill(SCORER, "js-sheet", List.of("node", "scorer.js"));
    }

    /** Also: kafkajs drops messages for a partition the topic lacks without an error; the scorer checks what was written. */
    @Test
    void anErrorInsideATransactionAbortsItAndTheBatchIsReadAgain() throws Exception {
        requireTools();
        ExternalScorers.abortsOnAnErrorInsideATransaction(SCORER, List.of("node", "scorer.js"));
    }

    /**
     * kafkajs sends no group generation with transactional offsets, so the broker cannot refuse the commit of a
     * member the group has moved on from. Instance A stalls inside its transaction past its session timeout;
     * instance B (another instance id) takes the partition over and scores everything; when A wakes, its heartbeat
     * before committing fails and it aborts, so every candidate has exactly one committed score.
     */
    @Test
    void aStalledInstanceWhoseGroupMovedOnAbortsInsteadOfCommitting() throws Exception {
        requireTools();
        TestStack stack = TestStack.get();
        String run = "run-js-sheet-zombie-" + UUID.randomUUID();
        ExternalScorers.Topics3 topics = ExternalScorers.freshTopics(stack, 1, 1);
        List<Candidate> candidates = ExternalScorers.proteinCandidates(run);
        ExternalScorers.publish(stack, topics.candidates(), List.of(), candidates);
        List<String> base = new ArrayList<>(List.of("node", "scorer.js", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--group", "test-" + run, "--run", run, "--session-timeout", "6"));
        base.addAll(topics.options());

        List<String> a = new ArrayList<>(base);
        a.addAll(List.of("--instance-id", "a", "--max-seconds", "120"));
        Path aLog = Files.createTempFile("external-scorer-stalled", ".log");
        Process stalled = ExternalScorers.start(SCORER, a, Map.of(ExternalScorers.PAUSE_BEFORE_COMMIT, "20"), aLog);
        try {
            ExternalScorers.awaitOutput(stalled, aLog, Duration.ofSeconds(60), "pausing");
            List<String> b = new ArrayList<>(base);
            b.addAll(List.of("--instance-id", "b", "--max-candidates", "3", "--max-seconds", "60"));
            ExternalScorers.runScorer(SCORER, 3, b);
            ExternalScorers.awaitOutput(stalled, aLog, Duration.ofSeconds(60), "records aborted", "scored 3");
        } finally {
            ExternalScorers.kill(stalled);
            System.out.println("stalled " + String.join(" ", a) + ":\n" + Files.readString(aLog).strip());
        }
        Set<String> ids = candidates.stream().map(Candidate::getId).collect(Collectors.toSet());
        assertEquals(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L)),
                ExternalScorers.countByKey(ExternalScorers.readCommitted(stack, topics.scores(), ids, Duration.ofSeconds(20))),
                "one committed score per candidate");
    }

    @Test
    void sigtermCommitsTheTransactionInHandAndExitsZero() throws Exception {
        requireTools();
        ExternalScorers.stopsCleanlyOnSigterm(SCORER, List.of("node", "scorer.js"));
    }
}

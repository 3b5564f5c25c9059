package org.ddpp.ops.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ddpp.diffusion.task.ProteinTask;
import org.ddpp.ops.TestStack;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * The external Python scorer {@code scorers/external/python/scorer.py} (EMBOSS garnier, Debian's Confluent client)
 * end to end on the embedded broker and registry: it reads protein candidates our Java producer wrote and writes
 * Scores our Java deserializer reads, with a sheet-rich protein above a helix-rich one and a masked sequence
 * INVALID. Without python3-confluent-kafka or emboss the test is skipped, unless {@code DDPP_REQUIRE_CONFORMANCE=1}
 * (set by {@code .ci/run}) makes that a failure.
 */
class GarnierScorerTest {

    private static final Path SCORER = Path.of("../scorers/external/python").toAbsolutePath().normalize();
    private static final String PYTHON = "/usr/bin/python3";
    private static final boolean REQUIRED = "1".equals(System.getenv("DDPP_REQUIRE_CONFORMANCE"));
    private static final String SHEET_RICH = "VIVIVTVYVEVTVKVIVTVYVEVIVTVYV";
    private static final String HELIX_RICH = "AEELLKKAEELLKKAEELLKKAEELLKKA";

    @Test
    void scoresProteinCandidatesFromTheBrokerWithGarnier() throws Exception {
        requireTools();
        TestStack stack = TestStack.get();
        CachedSchemaRegistry registry = stack.cache();
        stack.client().register(Topics.SCORES.valueSubject(), Score.getClassSchema().toString());
        String run = "run-garnier-" + UUID.randomUUID();
        ProteinTask task = new ProteinTask();
        int[] masked = task.encode(SHEET_RICH);
        masked[3] = task.maskId();
        List<Candidate> candidates = List.of(candidate(run, task, task.encode(SHEET_RICH)),
                candidate(run, task, task.encode(HELIX_RICH)), candidate(run, task, masked));
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(registry, true, false);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            for (Candidate c : candidates) {
                producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), c.getId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(Topics.CANDIDATES.name(), c))).get();
            }
        }

        Path log = Files.createTempFile("garnier-scorer", ".log");
        Process scorer = new ProcessBuilder(PYTHON, "scorer.py", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--group", "test-" + run, "--run", run,
                "--max-candidates", "3", "--max-seconds", "45", "--garnier", garnier())
                .directory(SCORER.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!scorer.waitFor(60, TimeUnit.SECONDS)) {
            scorer.destroyForcibly();
            throw new AssertionError("scorer.py did not stop:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("garnier scorer:\n" + output.strip());
        assertEquals(0, scorer.exitValue(), output);
        assertTrue(output.contains("SCORED 3"), output);

        Set<String> ids = Set.of(candidates.get(0).getId(), candidates.get(1).getId(), candidates.get(2).getId());
        AvroDeserializer<Score> deserializer = new AvroDeserializer<>(registry, Score.class);
        Map<String, Score> scores = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : stack.readUntil(Topics.SCORES.name(),
                r -> ids.contains(new String(r.key(), StandardCharsets.UTF_8)), 3)) {
            Score s = deserializer.deserialize(Topics.SCORES.name(), r.value());
            assertEquals(new String(r.key(), StandardCharsets.UTF_8), s.getCandidateId());
            scores.put(s.getCandidateId(), s);
        }
        assertEquals(3, scores.size(), "one score per candidate: " + scores);
        Score sheet = scores.get(candidates.get(0).getId());
        Score helix = scores.get(candidates.get(1).getId());
        Score invalid = scores.get(candidates.get(2).getId());
        for (Score s : List.of(sheet, helix)) {
            assertEquals(ScoreStatus.OK, s.getStatus(), s.toString());
            assertEquals("garnier-sheet", s.getScorer());
            assertEquals(run, s.getRun());
            assertTrue(s.getLogReward() <= 0.0 && s.getLogReward() >= Math.log(0.01), s.toString());
        }
        assertTrue(sheet.getLogReward() > helix.getLogReward(), sheet + " vs " + helix);
        assertTrue(Double.parseDouble(sheet.getDetails().get("sheet")) > 0.5, sheet.toString());
        assertEquals(Math.log(0.01), helix.getLogReward(), 1e-9, "garnier predicts the helix-rich protein all helix");
        assertEquals(ScoreStatus.INVALID, invalid.getStatus());
        assertNull(invalid.getLogReward());
        assertTrue(invalid.getDetails().get("reason").contains("not a protein"), invalid.toString());
    }

    private static Candidate candidate(String run, ProteinTask task, int[] tokens) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("garnier-" + UUID.randomUUID()).setRun(run).setTask("protein")
                .setTokens(list).setText(task.render(tokens)).setPolicyVersion(0).setSource(CandidateSource.PRETRAINED)
                .setSamplerId("test").setSeed(1L).setCreatedAt(Instant.now()).build();
    }

    private static String garnier() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, "garnier"))) {
                return dir + "/garnier";
            }
        }
        return null;
    }

    private static void requireTools() throws Exception {
        boolean python = Files.isExecutable(Path.of(PYTHON)) && new ProcessBuilder(PYTHON, "-c",
                "import confluent_kafka.avro, avro, requests").start().waitFor() == 0;
        boolean present = python && garnier() != null;
        String install = "apt-get install emboss python3-confluent-kafka python3-avro python3-requests";
        if (REQUIRED) {
            assertTrue(present, install);
        }
        assumeTrue(present, "external Python scorer not runnable here (" + install + ")");
    }
}

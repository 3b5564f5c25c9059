package org.ddpp.scorers.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ddpp.tasks.protein.ProteinTask;
import org.ddpp.testkit.TestStack;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;

/**
 * What the external-scorer tests share: protein candidates published with our Java serdes, a bounded run of the
 * scorer process, and its Scores read back with our deserializer. Missing tools skip a test, unless
 * {@code DDPP_REQUIRE_CONFORMANCE=1} (set by {@code .ci/run}) makes that a failure.
 */
final class ExternalScorers {

    static final String SHEET_RICH = "VIVIVTVYVEVTVKVIVTVYVEVIVTVYV";
    static final String HELIX_RICH = "AEELLKKAEELLKKAEELLKKAEELLKKA";
    private static final boolean REQUIRED = "1".equals(System.getenv("DDPP_REQUIRE_CONFORMANCE"));

    private ExternalScorers() {}

    static void require(boolean present, String install) {
        if (REQUIRED) {
            assertTrue(present, install);
        }
        assumeTrue(present, "external scorer not runnable here (" + install + ")");
    }

    /** Protein candidates of one fresh run: sheet-rich, helix-rich, and the sheet-rich one with a MASK token. */
    static List<Candidate> proteinCandidates(String run) {
        ProteinTask task = new ProteinTask();
        int[] masked = task.encode(SHEET_RICH);
        masked[3] = task.maskId();
        return List.of(candidate(run, task, task.encode(SHEET_RICH)), candidate(run, task, task.encode(HELIX_RICH)),
                candidate(run, task, masked));
    }

    private static Candidate candidate(String run, ProteinTask task, int[] tokens) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("ext-" + UUID.randomUUID()).setRun(run).setTask("protein")
                .setTokens(list).setText(task.render(tokens)).setPolicyVersion(0).setSource(CandidateSource.PRETRAINED)
                .setSamplerId("test").setSeed(1L).setCreatedAt(Instant.now()).build();
    }

    /** Registers the Score schema (external scorers write with the latest one) and publishes the candidates. */
    static void publish(TestStack stack, List<Candidate> candidates) throws Exception {
        stack.client().register(Topics.SCORES.valueSubject(), Score.getClassSchema().toString());
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(stack.cache(), true, false);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            for (Candidate c : candidates) {
                producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), c.getId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(Topics.CANDIDATES.name(), c))).get();
            }
        }
    }

    /** Runs the scorer in {@code dir} until it exits (at most 60 s); asserts exit 0 and "SCORED n"; returns its output. */
    static String runScorer(Path dir, int expected, List<String> command) throws Exception {
        Path log = Files.createTempFile("external-scorer", ".log");
        Process scorer = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!scorer.waitFor(60, TimeUnit.SECONDS)) {
            scorer.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not stop:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println(String.join(" ", command) + ":\n" + output.strip());
        assertEquals(0, scorer.exitValue(), output);
        assertTrue(output.contains("SCORED " + expected), output);
        return output;
    }

    /** The Scores of {@code candidates}, decoded with our deserializer, by candidate id; exactly one each. */
    static Map<String, Score> scores(TestStack stack, List<Candidate> candidates) {
        Set<String> ids = candidates.stream().map(Candidate::getId).collect(Collectors.toSet());
        AvroDeserializer<Score> deserializer = new AvroDeserializer<>(stack.cache(), Score.class);
        Map<String, Score> scores = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : stack.readUntil(Topics.SCORES.name(),
                r -> ids.contains(new String(r.key(), StandardCharsets.UTF_8)), ids.size())) {
            Score s = deserializer.deserialize(Topics.SCORES.name(), r.value());
            assertEquals(new String(r.key(), StandardCharsets.UTF_8), s.getCandidateId(), "keyed by candidate id");
            scores.put(s.getCandidateId(), s);
        }
        assertEquals(ids.size(), scores.size(), "one score per candidate: " + scores);
        return scores;
    }
}

package org.ddpp.ops.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ddpp.testkit.TestStack;
import org.ddpp.registry.RegistryServer;
import org.ddpp.testkit.TestUsers;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.dlq.RecordDecoder;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Third-party clients we did not write — Confluent's JavaScript and Python clients and kafkajs' registry client —
 * read what our Java producers write and write what our Java consumers read, through the embedded broker and
 * our registry. The scripts live in {@code ops/src/test/conformance/{js,python}}; {@code .ci/run} installs their
 * packages. Without them the tests are skipped, unless {@code DDPP_REQUIRE_CONFORMANCE=1} makes that a failure.
 * Confluent's Python clients also log in to a registry started with a users file (basic auth, 401, 403).
 */
class ConformanceTest {

    private static final Path JS = Path.of("src/test/conformance/js").toAbsolutePath();
    private static final Path PYTHON = Path.of("src/test/conformance/python").toAbsolutePath();
    private static final String PYTHON_BIN = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean REQUIRED = "1".equals(System.getenv("DDPP_REQUIRE_CONFORMANCE"));

    private static TestStack stack;
    private static CachedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        registry = stack.cache();
        // the value schemas external clients look up with use-latest-version
        stack.client().register(Topics.SCORES.valueSubject(), Score.getClassSchema().toString());
        stack.client().register(Topics.CANDIDATES.valueSubject(), Candidate.getClassSchema().toString());
    }

    private static void requireJs() {
        boolean present = Files.isDirectory(JS.resolve("node_modules/@confluentinc/schemaregistry"))
                && Files.isDirectory(JS.resolve("node_modules/@kafkajs/confluent-schema-registry"));
        if (REQUIRED) {
            assertTrue(present, "run `npm ci` in " + JS);
        }
        assumeTrue(present, "JS conformance clients not installed (npm ci in " + JS + ")");
    }

    private static void requirePython() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON_BIN))
                && run(PYTHON, List.of(PYTHON_BIN, "-c", "import confluent_kafka.avro, avro, requests"), false).exit == 0;
        if (REQUIRED) {
            assertTrue(present, "apt-get install python3-confluent-kafka python3-avro python3-requests");
        }
        assumeTrue(present, "Debian python3-confluent-kafka/python3-avro/python3-requests not installed");
    }

    @Test
    void confluentJsConsumerDecodesOurCandidate() throws Exception {
        requireJs();
        Candidate candidate = produceCandidate("js");
        Result result = run(JS, List.of("node", "confluent-client.js", "consume-candidate", stack.bootstrap(),
                stack.registry.url(), Topics.CANDIDATES.name(), candidate.getId()), true);
        assertSameCandidate(candidate, line(result, "CANDIDATE "));
    }

    @Test
    void confluentJsProducerWritesAScoreOurConsumerDecodes() throws Exception {
        requireJs();
        String id = "js-score-" + UUID.randomUUID();
        run(JS, List.of("node", "confluent-client.js", "produce-score", stack.bootstrap(), stack.registry.url(),
                Topics.SCORES.name(), id), true);
        Score score = consumeScore(id);
        assertEquals("js-length", score.getScorer());
        assertEquals("2.0", score.getScorerVersion());
        assertEquals(ScoreStatus.OK, score.getStatus());
        assertEquals(-0.5, score.getLogReward());
        assertEquals(Map.of("client", "@confluentinc/schemaregistry"), score.getDetails());
        assertEquals(321L, score.getLatencyMicros());
        assertEquals(Instant.ofEpochMilli(1700000000999L), score.getScoredAt());
    }

    @Test
    void kafkajsRegistryRegistersEncodesAndDecodes() throws Exception {
        requireJs();
        Candidate candidate = candidate("kafkajs-" + UUID.randomUUID());
        byte[] javaBytes = new AvroSerializer<Candidate>(registry, true, false).serialize(Topics.CANDIDATES.name(), candidate);
        int javaId = java.nio.ByteBuffer.wrap(javaBytes, 1, 4).getInt();
        Path schemaFile = Files.createTempFile("candidate", ".avsc");
        Files.writeString(schemaFile, Candidate.getClassSchema().toString(true));
        Result result = run(JS, List.of("node", "kafkajs-registry.js", stack.registry.url(), schemaFile.toString(),
                Topics.CANDIDATES.valueSubject(), HexFormat.of().formatHex(javaBytes)), true);
        assertEquals(javaId, Integer.parseInt(line(result, "REGISTERED ")));
        assertSameCandidate(candidate, line(result, "DECODED "));
        Candidate fromJs = new AvroDeserializer<>(registry, Candidate.class)
                .deserialize(Topics.CANDIDATES.name(), HexFormat.of().parseHex(line(result, "ENCODED ")));
        assertEquals(candidate.getId() + "-from-kafkajs", fromJs.getId());
        assertEquals("encoded by kafkajs", fromJs.getText());
        assertEquals(candidate.getTokens(), fromJs.getTokens());
        assertEquals(candidate.getCreatedAt(), fromJs.getCreatedAt());
        JsonNode probe = JSON.readTree(line(result, "PROBE "));
        assertEquals(probe.path("probeId").asInt(), probe.path("again").asInt());
        assertEquals(42, probe.path("roundTrip").path("n").asInt());
        // kafkajs' register() set the subject's own level to BACKWARD after a 40408 answer
        assertEquals("BACKWARD", stack.client().subjectCompatibility("conformance.kafkajs-value").name());
    }

    @Test
    void pythonConsumerDecodesOurCandidate() throws Exception {
        requirePython();
        Candidate candidate = produceCandidate("py");
        Result result = run(PYTHON, List.of(PYTHON_BIN, "confluent_client.py", "consume-candidate", stack.bootstrap(),
                stack.registry.url(), Topics.CANDIDATES.name(), candidate.getId()), true);
        JsonNode node = JSON.readTree(line(result, "CANDIDATE "));
        assertEquals(candidate.getId(), node.path("id").asText());
        assertEquals("PRETRAINED", node.path("source").asText());
        assertEquals(candidate.getTokens().size(), node.path("tokens").size());
        assertEquals(candidate.getText(), node.path("text").asText());
        assertEquals(candidate.getSeed(), node.path("seed").asLong());
        // python3-avro reads timestamp-millis as an aware datetime
        assertTrue(node.path("createdAt").asText().startsWith("2023-11-14 22:13:20.123"), node.path("createdAt").asText());
    }

    @Test
    void pythonProducerWritesAScoreOurConsumerDecodes() throws Exception {
        requirePython();
        String id = "py-score-" + UUID.randomUUID();
        run(PYTHON, List.of(PYTHON_BIN, "confluent_client.py", "produce-score", stack.bootstrap(), stack.registry.url(),
                Topics.SCORES.name(), id), true);
        Score score = consumeScore(id);
        assertEquals("py-length", score.getScorer());
        assertEquals(ScoreStatus.INVALID, score.getStatus());
        assertNull(score.getLogReward());
        assertEquals(654L, score.getLatencyMicros());
        assertEquals(Instant.parse("2023-11-14T22:13:20.111Z"), score.getScoredAt());
    }

    @Test
    void pythonClientsAuthenticateToASecuredRegistry() throws Exception {
        requirePython();
        TestUsers users = TestUsers.create();
        try (RegistryServer secured = RegistryServer.builder().setBootstrapServers(stack.bootstrap()).optUsers(users.file).start()) {
            String subject = "conformance.py-auth-" + UUID.randomUUID() + "-value";
            Result result = run(PYTHON, List.of(PYTHON_BIN, "confluent_client.py", "basic-auth", secured.url(), subject),
                    Map.of("DDPP_WRITER_USER_INFO", users.writer(), "DDPP_READER_USER_INFO", users.reader()), true);
            int id = Integer.parseInt(line(result, "REGISTERED "));
            assertEquals(id, stack.client().latest(subject).id());
            assertEquals(id, Integer.parseInt(line(result, "LOOKUP ")));
            assertEquals(id, Integer.parseInt(line(result, "LEGACY ")));
            assertEquals("401 401", line(result, "ANONYMOUS "));
            assertEquals("403 403", line(result, "READONLY "));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static Candidate candidate(String id) {
        return Candidate.newBuilder().setId(id).setRun("run-conformance").setTask("grid")
                .setTokens(List.of(3, 1, 4, 1, 5, 9, 2, 6)).setText("3141\n5926").setPolicyVersion(0)
                .setSource(CandidateSource.PRETRAINED).setSamplerId("sampler-pinned").setSeed(20261129L)
                .setCreatedAt(Instant.parse("2023-11-14T22:13:20.123Z")).build();
    }

    private static Candidate produceCandidate(String prefix) throws Exception {
        Candidate candidate = candidate(prefix + "-" + UUID.randomUUID());
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(registry, true, false);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), candidate.getId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.CANDIDATES.name(), candidate))).get();
        }
        return candidate;
    }

    private static void assertSameCandidate(Candidate expected, String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        assertEquals(expected.getId(), node.path("id").asText());
        assertEquals(expected.getRun(), node.path("run").asText());
        assertEquals(expected.getTask(), node.path("task").asText());
        List<Integer> tokens = new ArrayList<>();
        node.path("tokens").forEach(t -> tokens.add(t.asInt()));
        assertEquals(expected.getTokens(), tokens);
        assertEquals(expected.getText(), node.path("text").asText());
        assertEquals(expected.getPolicyVersion(), node.path("policyVersion").asLong());
        assertEquals("PRETRAINED", node.path("source").asText());
        assertEquals(expected.getSamplerId(), node.path("samplerId").asText());
        assertEquals(expected.getSeed(), node.path("seed").asLong());
        assertEquals(expected.getCreatedAt().toEpochMilli(), node.path("createdAt").asLong());
    }

    /** Reads ddpp.scores with our consumer path (raw bytes, decoder, dead letters) until the score for {@code id}. */
    private static Score consumeScore(String id) {
        try (KafkaProducer<byte[], byte[]> dlq = stack.producer()) {
            RecordDecoder<String, Score> decoder = new RecordDecoder<>(new StringDeserializer(),
                    new AvroDeserializer<>(registry, Score.class), new DeadLetterPublisher(dlq, registry), "test:conformance");
            return stack.readUntil(Topics.SCORES.name(), r -> id.equals(new String(r.key(), StandardCharsets.UTF_8)), 1)
                    .stream().map(decoder::decode).map(d -> d.orElseThrow().value()).findFirst().orElseThrow();
        }
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static String line(Result result, String prefix) {
        return result.stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + result.stdout
                        + "\nstderr:\n" + result.stderr));
    }

    private static Result run(Path dir, List<String> command, boolean mustSucceed) throws Exception {
        return run(dir, command, Map.of(), mustSucceed);
    }

    /** Runs {@code command} in {@code dir} with extra environment variables (credentials stay off the command line). */
    private static Result run(Path dir, List<String> command, Map<String, String> env, boolean mustSucceed) throws Exception {
        Path out = Files.createTempFile("conformance", ".out");
        Path err = Files.createTempFile("conformance", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish; stderr:\n" + Files.readString(err));
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println("conformance: " + String.join(" ", command) + " -> exit " + result.exit + "\n" + result.stdout.strip());
        if (mustSucceed && result.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exit + "\nstdout:\n" + result.stdout
                    + "\nstderr:\n" + result.stderr);
        }
        return result;
    }
}

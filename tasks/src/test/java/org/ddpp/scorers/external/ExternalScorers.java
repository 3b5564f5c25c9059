package org.ddpp.scorers.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.tasks.protein.ProteinTask;
import org.ddpp.testkit.TestStack;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
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

    /**
     * Candidates whose text is a protein but whose tokens are not a sequence of the protein task: one token short,
     * a token outside the vocabulary, PAD before a residue. The Java scorer service scores them INVALID with the
     * reason of {@code CandidateCheck}; so must an external scorer (it must not score the text).
     */
    static List<Candidate> invalidCandidates(String run) {
        ProteinTask task = new ProteinTask();
        int[] tokens = task.encode(SHEET_RICH);
        int[] shorter = java.util.Arrays.copyOf(tokens, tokens.length - 1);
        int[] outside = tokens.clone();
        outside[5] = 99;
        int[] innerPad = tokens.clone();
        innerPad[2] = ProteinTask.PAD;
        return List.of(candidate(run, shorter, SHEET_RICH), candidate(run, outside, SHEET_RICH),
                candidate(run, innerPad, SHEET_RICH));
    }

    private static Candidate candidate(String run, ProteinTask task, int[] tokens) {
        return candidate(run, tokens, task.render(tokens));
    }

    private static Candidate candidate(String run, int[] tokens, String text) {
        List<Integer> list = new ArrayList<>();
        for (int t : tokens) {
            list.add(t);
        }
        return Candidate.newBuilder().setId("ext-" + UUID.randomUUID()).setRun(run).setTask("protein")
                .setTokens(list).setText(text).setPolicyVersion(0).setSource(CandidateSource.PRETRAINED)
                .setSamplerId("test").setSeed(1L).setCreatedAt(Instant.now()).build();
    }

    /** Fresh candidates, scores and dead-letter topics of one test, with the schemas an external scorer needs. */
    record Topics3(String candidates, String scores, String dlq) {
        /** The scorer options that name them. */
        List<String> options() {
            return List.of("--candidates-topic", candidates, "--scores-topic", scores, "--dlq-topic", dlq);
        }
    }

    static Topics3 freshTopics(TestStack stack, int candidatePartitions, int scorePartitions) throws Exception {
        String id = UUID.randomUUID().toString();
        Topics3 t = new Topics3("ext.candidates-" + id, "ext.scores-" + id, "ext.dlq-" + id);
        try (Admin admin = stack.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(t.candidates(), candidatePartitions, (short) 1),
                    new NewTopic(t.scores(), scorePartitions, (short) 1), new NewTopic(t.dlq(), 1, (short) 1))).all().get();
        }
        stack.client().register(t.scores() + "-value", Score.getClassSchema().toString());
        stack.client().register(t.dlq() + "-value", DeadLetter.getClassSchema().toString());
        return t;
    }

    /** A record no Candidate decodes from, written raw to one partition. */
    record Garbage(String key, byte[] value, int partition) {}

    /** Two garbage records: a value without the magic byte (with a header), and one naming an unknown schema id. */
    static List<Garbage> garbage() {
        String id = UUID.randomUUID().toString();
        return List.of(new Garbage("garbage-a-" + id, new byte[] {0x7f, 1, 2, 3, 4, 5, 6}, 0),
                new Garbage("garbage-b-" + id, new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 4, 6}, 0));
    }

    /** Publishes {@code garbage}, then {@code candidates} (the i-th to partition {@code partitions[i]}) to {@code topic}. */
    static void publish(TestStack stack, String topic, List<Garbage> garbage, List<Candidate> candidates, int... partitions)
            throws Exception {
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(stack.cache(), true, false);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            for (Garbage g : garbage) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, g.partition(),
                        g.key().getBytes(StandardCharsets.UTF_8), g.value());
                record.headers().add(new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
            }
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                producer.send(new ProducerRecord<>(topic, partitions.length == 0 ? 0 : partitions[i],
                        c.getId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, c))).get();
            }
        }
    }

    /** Starts the scorer in {@code dir} with {@code env} added, its output going to {@code log}. */
    static Process start(Path dir, List<String> command, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * Waits until {@code log} contains one of {@code texts} and returns it; fails when the process ends first or
     * after {@code wait}.
     */
    static String awaitOutput(Process process, Path log, Duration wait, String... texts) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String output = Files.readString(log);
            for (String text : texts) {
                if (output.contains(text)) {
                    return text;
                }
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("none of " + List.of(texts) + " in the scorer's output:\n" + output);
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: the process gets no chance to commit, abort or close anything. */
    static void kill(Process process) throws Exception {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed scorer did not exit");
    }

    /**
     * The records of {@code topic} a read_committed reader sees: it reads until it has seen every key of
     * {@code keys} and reached the end, or {@code wait} has passed (then the caller's counts tell what was missing).
     */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(TestStack stack, String topic, Set<String> keys, Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                Set<String> seen = out.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // read_committed: the stable offsets
                if (seen.containsAll(keys) && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    break;
                }
            }
        }
        return out;
    }

    /** Records per key among {@code records}. */
    static Map<String, Long> countByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.counting()));
    }

    /** Waits until no transaction is open on {@code topic} (its stable offsets reach its end offsets); false after {@code wait}. */
    static boolean noOpenTransaction(TestStack stack, String topic, Duration wait) throws InterruptedException {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        try (KafkaConsumer<byte[], byte[]> committed = new KafkaConsumer<>(withIsolation(config, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(withIsolation(config, "read_uncommitted"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = committed.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                if (committed.endOffsets(partitions).equals(uncommitted.endOffsets(partitions))) {
                    return true;
                }
                Thread.sleep(200);
            }
            return false;
        }
    }

    private static Map<String, Object> withIsolation(Map<String, Object> config, String level) {
        Map<String, Object> out = new HashMap<>(config);
        out.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, level);
        return out;
    }

    /** Decodes the dead letters among {@code records}. */
    static List<DeadLetter> deadLetters(TestStack stack, List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        AvroDeserializer<DeadLetter> deserializer = new AvroDeserializer<>(stack.cache(), DeadLetter.class);
        return records.stream().map(r -> deserializer.deserialize(topic, r.value())).toList();
    }

    /** Registers the Score and DeadLetter schemas (external scorers write with the latest ones) and publishes the candidates. */
    static void publish(TestStack stack, List<Candidate> candidates) throws Exception {
        stack.client().register(Topics.SCORES.valueSubject(), Score.getClassSchema().toString());
        stack.client().register(Topics.DLQ.valueSubject(), DeadLetter.getClassSchema().toString());
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

    /** The test-only hook of both scripts: seconds to sleep after writing a transaction's records, before committing. */
    static final String PAUSE_BEFORE_COMMIT = "DDPP_SCORER_TEST_PAUSE_BEFORE_COMMIT";

    /**
     * Kills the scorer with SIGKILL while its first transaction (two dead letters, then scores) is open, restarts
     * it with the same {@code --instance-id}, and checks what a read_committed reader sees: exactly one score per
     * candidate and one dead letter per garbage record, soon after the restart stops (a predecessor that was not
     * fenced would keep its transaction open, and every read_committed reader of those partitions waiting, until
     * the transaction timeout of 60 s).
     *
     * @param scorer  the scorer's name
     * @param command the scorer's command line up to its options
     */
    static void scoresOnceAcrossAKill(Path dir, String scorer, List<String> command) throws Exception {
        TestStack stack = TestStack.get();
        String run = "run-" + scorer + "-kill-" + UUID.randomUUID();
        Topics3 topics = freshTopics(stack, 1, 1);
        List<Candidate> candidates = proteinCandidates(run);
        List<Garbage> garbage = garbage();
        publish(stack, topics.candidates(), garbage, candidates);
        List<String> base = new ArrayList<>(command);
        base.addAll(List.of("--bootstrap-servers", stack.bootstrap(), "--schema-registry", stack.registry.url(),
                "--group", "test-" + run, "--instance-id", "kill-" + UUID.randomUUID(), "--run", run,
                "--session-timeout", "6"));
        base.addAll(topics.options());

        Path firstLog = Files.createTempFile("external-scorer-killed", ".log");
        List<String> first = new ArrayList<>(base);
        first.addAll(List.of("--max-seconds", "300"));
        Process killed = start(dir, first, Map.of(PAUSE_BEFORE_COMMIT, "600"), firstLog);
        try {
            awaitOutput(killed, firstLog, Duration.ofSeconds(90), "pausing");
        } finally {
            kill(killed);
        }
        String firstOutput = Files.readString(firstLog);
        System.out.println("killed " + String.join(" ", first) + ":\n" + firstOutput.strip());
        assertTrue(firstOutput.contains("2 dead letters"), "the killed transaction held the dead letters: " + firstOutput);

        List<String> second = new ArrayList<>(base);
        second.addAll(List.of("--max-candidates", "3", "--max-seconds", "90"));
        runScorer(dir, 3, second);

        Set<String> ids = candidates.stream().map(Candidate::getId).collect(Collectors.toSet());
        Map<String, Long> scores = countByKey(readCommitted(stack, topics.scores(), ids, Duration.ofSeconds(20)));
        assertEquals(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L)), scores,
                "one committed score per candidate across the kill, readable at once");

        Set<String> keys = garbage.stream().map(Garbage::key).collect(Collectors.toSet());
        List<ConsumerRecord<byte[], byte[]>> records = readCommitted(stack, topics.dlq(), keys, Duration.ofSeconds(20));
        assertEquals(keys.stream().collect(Collectors.toMap(k -> k, k -> 1L)), countByKey(records),
                "one committed dead letter per garbage record across the kill");
        List<DeadLetter> letters = deadLetters(stack, records, topics.dlq());
        for (int i = 0; i < garbage.size(); i++) {
            Garbage g = garbage.get(i);
            DeadLetter d = letters.stream().filter(l -> new String(bytes(l.getKey()), StandardCharsets.UTF_8).equals(g.key()))
                    .findFirst().orElseThrow();
            assertEquals("scorer:" + scorer, d.getStage(), d.toString());
            assertEquals(topics.candidates(), d.getSourceTopic());
            assertEquals(0, d.getSourcePartition());
            assertEquals(i, d.getSourceOffset(), "garbage is published first");
            assertTrue(java.util.Arrays.equals(g.value(), bytes(d.getValue())), d.toString());
            assertTrue(d.getReason().startsWith("undecodable value: "), d.toString());
            assertTrue(d.getExceptionClass() != null && !d.getExceptionClass().isBlank(), d.toString());
            assertEquals(1, d.getHeaders().size(), d.toString());
            assertEquals("origin", d.getHeaders().get(0).getKey());
            assertEquals("test", new String(bytes(d.getHeaders().get(0).getValue()), StandardCharsets.UTF_8));
        }
    }

    /**
     * An error inside a transaction (a score for partition 1 of a scores topic that has one partition, after a dead
     * letter was written) aborts it: the scorer reads the batch again instead of stopping or moving on, nothing of
     * it is committed (neither the dead letter nor the score nor the consumed offsets), and no transaction is left
     * open. Runs the scorer for 10 s.
     */
    static void abortsOnAnErrorInsideATransaction(Path dir, List<String> command) throws Exception {
        TestStack stack = TestStack.get();
        String run = "run-abort-" + UUID.randomUUID();
        String group = "test-" + run;
        Topics3 topics = freshTopics(stack, 2, 1);
        publish(stack, topics.candidates(), List.of(new Garbage("garbage-" + run, new byte[] {0x7f, 1, 2, 3, 4, 5}, 1)),
                proteinCandidates(run).subList(0, 1), 1);
        List<String> scorer = new ArrayList<>(command);
        scorer.addAll(List.of("--bootstrap-servers", stack.bootstrap(), "--schema-registry", stack.registry.url(),
                "--group", group, "--instance-id", "abort", "--run", run, "--max-seconds", "10"));
        scorer.addAll(topics.options());
        String output = runScorer(dir, 0, scorer);

        assertTrue(noOpenTransaction(stack, topics.dlq(), Duration.ofSeconds(15)), "a transaction was left open on " + topics.dlq());
        assertTrue(noOpenTransaction(stack, topics.scores(), Duration.ofSeconds(15)), "a transaction was left open on " + topics.scores());
        assertEquals(List.of(), readCommitted(stack, topics.dlq(), Set.of(), Duration.ofSeconds(10)), "dead letter committed");
        assertEquals(List.of(), readCommitted(stack, topics.scores(), Set.of(), Duration.ofSeconds(10)), "score committed");
        try (Admin admin = stack.kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertTrue(offsets.values().stream().allMatch(java.util.Objects::isNull), "offsets committed: " + offsets);
        }
        assertTrue(output.split("transaction of 2 records aborted, reading them again", -1).length > 2, "the batch is read again");
    }

    /**
     * SIGTERM while a transaction is in hand (the scorer paused before its commit): the scorer ends that
     * transaction (commits it, or aborts it where its client stops the batch), leaves and exits 0 well inside a
     * container's stop grace period, so no transaction is left open for a successor to fence or for the broker to
     * time out; a successor with the same instance id then scores what is left, so every candidate has exactly one
     * committed score. Before the fix both died on the signal (exit 143) with the transaction open.
     */
    static void stopsCleanlyOnSigterm(Path dir, List<String> command) throws Exception {
        TestStack stack = TestStack.get();
        String run = "run-sigterm-" + UUID.randomUUID();
        Topics3 topics = freshTopics(stack, 1, 1);
        List<Candidate> candidates = proteinCandidates(run);
        publish(stack, topics.candidates(), List.of(), candidates);
        List<String> base = new ArrayList<>(command);
        base.addAll(List.of("--bootstrap-servers", stack.bootstrap(), "--schema-registry", stack.registry.url(),
                "--group", "test-" + run, "--instance-id", "sigterm", "--run", run));
        base.addAll(topics.options());
        List<String> first = new ArrayList<>(base);
        first.addAll(List.of("--max-seconds", "300"));
        Path log = Files.createTempFile("external-scorer-sigterm", ".log");
        Process process = start(dir, first, Map.of(PAUSE_BEFORE_COMMIT, "3"), log);
        try {
            awaitOutput(process, log, Duration.ofSeconds(90), "pausing");
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the scorer was still running 30 s after SIGTERM:\n" + Files.readString(log));
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("stopping: "), output);
        assertTrue(noOpenTransaction(stack, topics.scores(), Duration.ofSeconds(5)), "a transaction was left open:\n" + output);

        Set<String> ids = candidates.stream().map(Candidate::getId).collect(Collectors.toSet());
        int committed = readCommitted(stack, topics.scores(), Set.of(), Duration.ofSeconds(5)).size();
        if (committed < ids.size()) {
            List<String> second = new ArrayList<>(base);
            second.addAll(List.of("--max-candidates", Integer.toString(ids.size() - committed), "--max-seconds", "60"));
            runScorer(dir, ids.size() - committed, second);
        }
        assertEquals(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L)),
                countByKey(readCommitted(stack, topics.scores(), ids, Duration.ofSeconds(20))), "one score per candidate");
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Every candidate of {@code invalid} got an INVALID score without a reward, with the Java check's reason. */
    static void assertInvalidWithTheJavaReasons(List<Candidate> invalid, java.util.Map<String, Score> scores) {
        for (Candidate c : invalid) {
            Score s = scores.get(c.getId());
            org.junit.jupiter.api.Assertions.assertEquals(org.ddpp.schemas.avro.ScoreStatus.INVALID, s.getStatus(), s.toString());
            org.junit.jupiter.api.Assertions.assertNull(s.getLogReward());
            org.junit.jupiter.api.Assertions.assertEquals(org.ddpp.scorers.CandidateCheck.invalidReason(c),
                    s.getDetails().get("reason"), "the reason of the Java check");
        }
    }
}

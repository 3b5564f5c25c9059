package org.ddpp.ops.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.runtime.TopicNames;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.JoinerSettings;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import org.ddpp.scorers.service.ScorerSettings;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;

/**
 * Scorers and joiner on the real embedded broker: two scorers (grid-center with two instances, one of them a
 * separate {@code ddpp scorer} process that is killed with SIGKILL and restarted mid-stream) and the joiner score
 * 300 records (one malformed, one with an out-of-vocabulary token, one of a task no scorer accepts). Every
 * candidate ends exactly once in the rewards or as a joiner dead letter, every grid candidate has exactly one
 * committed score per scorer, and each reward equals the exact combined reward of its tokens.
 */
class ScoringPipelineTest {

    private static final int RECORDS = 300;
    private static final String COMPOSITION = "grid-half-plane=1,grid-center=0.5";
    private static final Duration GUARD = Duration.ofSeconds(90);

    private final TestStack stack = TestStack.get();
    private final CachedSchemaRegistry registry = stack.cache();
    private final String suffix = "-scoring-" + UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = TopicNames.isolated("", suffix);

    @Test
    void everyCandidateLandsOnceInRewardsOrDeadLettersAndARestartedScorerDoesNotScoreTwice() throws Exception {
        createTopics();
        Path logFile = Files.createTempFile("ddpp-scorer-child", ".log");
        RewardComposition composition = RewardComposition.parse(COMPOSITION, -20);
        List<ProducerRecord<byte[], byte[]>> records = records();
        Process child = null;
        try (RewardJoiner joiner = RewardJoiner.start(JoinerConfig.builder().setConnection(stack.connection(topics)).opt(JoinerSettings.APPLICATION_ID, "ddpp-joiner")
                        .optComposition(composition).opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(12))
                        .opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofMillis(500)).opt(JoinerSettings.METRICS_INTERVAL, Duration.ofSeconds(1))
                        .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("ddpp-joiner-state")).build());
                ScorerService halfPlane = ScorerService.start(scorerConfig("grid-half-plane", "a"));
                ScorerService centerB = ScorerService.start(scorerConfig("grid-center", "b"));
                KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            child = startChildScorer(logFile);
            awaitGroupMembers("grid-center", 2, child, logFile);

            int half = RECORDS / 2;
            for (ProducerRecord<byte[], byte[]> r : records.subList(0, half)) {
                producer.send(r);
            }
            producer.flush();
            int gridFirstHalf = half - 2; // minus the malformed record and the text-task candidate
            awaitCount(topics.scores(), r -> scorerOf(r).equals("grid-center"), gridFirstHalf, child, logFile);
            assertTrue(centerB.scored() < gridFirstHalf,
                    "the two grid-center instances share the partitions: b scored " + centerB.scored());

            // Kill the child with SIGKILL while candidates stream in, keep producing while it is down, restart it.
            for (int i = half; i < RECORDS; i++) {
                producer.send(records.get(i));
                if (i == half + 40) {
                    producer.flush();
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                Thread.sleep(2);
            }
            producer.flush();
            child = startChildScorer(logFile);
            awaitGroupMembers("grid-center", 2, child, logFile);
            producer.flush();

            // Every candidate with an id is settled by the joiner, plus the malformed record's decode dead letter.
            long settled = awaitSettled(RECORDS, child, logFile);
            assertEquals(RECORDS, settled);
            assertTrue(halfPlane.isRunning() && centerB.isRunning());
            child.destroy(); // SIGTERM: the command closes the service cleanly
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child scorer did not stop on SIGTERM");
            assertTrue(log(logFile).contains("scorer grid-center stopped cleanly"), log(logFile));
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }

        // Exactly one committed score per (grid candidate, scorer), even across the kill and restart.
        Map<String, Long> perCandidateAndScorer = readAll(topics.scores()).stream()
                .map(r -> decode(Score.class, topics.scores(), r))
                .collect(Collectors.groupingBy(s -> s.getCandidateId() + "/" + s.getScorer(), Collectors.counting()));
        assertEquals(2 * (RECORDS - 2), perCandidateAndScorer.size(), "every grid candidate scored by both scorers");
        assertEquals(Map.of(), perCandidateAndScorer.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "scored more than once");

        List<ScoredCandidate> rewards = readAll(topics.rewards()).stream()
                .map(r -> decode(ScoredCandidate.class, topics.rewards(), r)).toList();
        List<DeadLetter> letters = readAll(topics.dlq()).stream().map(r -> decode(DeadLetter.class, topics.dlq(), r)).toList();
        List<DeadLetter> joinerLetters = letters.stream().filter(l -> l.getStage().startsWith("joiner:")).toList();

        Map<String, Integer> fate = new HashMap<>();
        rewards.forEach(s -> fate.merge(s.getCandidate().getId(), 1, Integer::sum));
        joinerLetters.forEach(l -> fate.merge(keyOf(l), 1, Integer::sum));
        assertEquals(RECORDS, fate.size(), "every record accounted for");
        assertEquals(Map.of(), fate.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "settled more than once");

        assertEquals(RECORDS - 3, rewards.size());
        assertEquals(Map.of("joiner:decode", 1L, "joiner:invalid", 1L, "joiner:timeout", 1L),
                joinerLetters.stream().collect(Collectors.groupingBy(DeadLetter::getStage, Collectors.counting())));
        DeadLetter invalid = stage(joinerLetters, "joiner:invalid");
        assertEquals("oov" + suffix, keyOf(invalid));
        assertTrue(invalid.getReason().contains("outside the vocabulary"), invalid.getReason());
        assertEquals("text" + suffix, keyOf(stage(joinerLetters, "joiner:timeout")));
        assertEquals("malformed" + suffix, keyOf(stage(joinerLetters, "joiner:decode")));
        assertTrue(letters.stream().anyMatch(l -> l.getStage().equals("scorer:grid-half-plane")
                && keyOf(l).equals("malformed" + suffix)), "the scorer dead-letters the malformed record and carries on");

        RewardFunction exact = ExactRewards.of(composition);
        for (ScoredCandidate s : rewards) {
            int[] tokens = s.getCandidate().getTokens().stream().mapToInt(Integer::intValue).toArray();
            assertEquals(exact.logReward(new int[][] {tokens})[0], s.getLogReward(), 1e-12, s.getCandidate().getId());
            assertEquals(List.of("grid-half-plane", "grid-center"), s.getComponents().stream().map(c -> c.getScorer()).toList());
        }
        assertTrue(rewards.stream().anyMatch(s -> s.getLogReward() == -20.0), "left-half points hit the floor");

        List<Metrics> metrics = readAll(topics.metrics()).stream().map(r -> decode(Metrics.class, topics.metrics(), r)).toList();
        assertTrue(metrics.stream().anyMatch(m -> m.getRole().equals("scorer") && m.getLabels().get("scorer").equals("grid-center")
                && m.getValues().getOrDefault("scores_total{status=\"ok\"}", 0.0) > 0), "scorer metrics published");
        assertTrue(metrics.stream().anyMatch(m -> m.getRole().equals("joiner") && m.getValues().getOrDefault("clamped_total", 0.0) > 0),
                "joiner metrics count clamped rewards");
    }

    private ScorerServiceConfig scorerConfig(String scorer, String instance) {
        return ScorerServiceConfig.builder().setConnection(stack.connection(topics))
                .setScorer(scorer).opt(ScorerSettings.INSTANCE_ID, instance + suffix).opt(ScorerSettings.BATCH_SIZE, 16).opt(ScorerSettings.MAX_IN_FLIGHT, 64)
                .opt(ScorerSettings.SESSION_TIMEOUT, Duration.ofSeconds(10)).opt(ScorerSettings.METRICS_INTERVAL, Duration.ofSeconds(1)).build();
    }

    /** {@code ddpp scorer --scorer grid-center} instance a, in its own JVM so that it can be killed for real. */
    private Process startChildScorer(Path logFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.ddpp.ops.DdppCommand", "scorer", "--scorer", "grid-center", "--instance-id", "a" + suffix,
                "--topic-suffix", suffix, "--bootstrap-servers", stack.bootstrap(), "--schema-registry", stack.registry.url(),
                "--batch-size", "16", "--max-in-flight", "64", "--session-timeout", "10s", "--metrics-interval", "1s");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    private List<ProducerRecord<byte[], byte[]>> records() {
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(registry, true, false);
        Random random = new Random(11);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String id = switch (i) {
                case 7 -> "malformed" + suffix;
                case 20 -> "oov" + suffix;
                case 33 -> "text" + suffix;
                default -> "c" + i + suffix;
            };
            List<Integer> tokens = i == 20 ? List.of(200, 5) : List.of(random.nextInt(128), random.nextInt(128));
            Candidate candidate = Candidate.newBuilder().setId(id).setRun("run" + suffix).setTask(i == 33 ? "text" : "grid")
                    .setTokens(tokens).setText(tokens.toString()).setPolicyVersion(0).setSource(CandidateSource.PRETRAINED)
                    .setSamplerId("test").setSeed(i).setCreatedAt(Instant.now()).build();
            byte[] value = i == 7 ? new byte[] {0x13, 0x37, 0x00} : serializer.serialize(topics.candidates(), candidate);
            out.add(new ProducerRecord<>(topics.candidates(), id.getBytes(StandardCharsets.UTF_8), value));
        }
        return out;
    }

    private void createTopics() throws Exception {
        try (Admin admin = stack.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topics.candidates(), 4, (short) 1), new NewTopic(topics.scores(), 4, (short) 1),
                    new NewTopic(topics.rewards(), 4, (short) 1), new NewTopic(topics.dlq(), 1, (short) 1),
                    new NewTopic(topics.metrics(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls until rewards plus joiner dead letters reach {@code wanted}; returns what it counted. */
    private long awaitSettled(int wanted, Process child, Path logFile) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topics.rewards(), topics.dlq()));
            AtomicLong settled = new AtomicLong();
            Wait.explained(() -> "only " + settled.get() + " of " + wanted + " settled; child log:\n" + log(logFile),
                    () -> Wait.atMost(GUARD, Duration.ZERO).until(() -> {
                        if (settled.get() < wanted) {
                            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                                if (r.topic().equals(topics.rewards())
                                        || decode(DeadLetter.class, topics.dlq(), r).getStage().startsWith("joiner:")) {
                                    settled.incrementAndGet();
                                }
                            }
                        }
                        return settled.get() >= wanted;
                    }));
            return settled.get();
        }
    }

    /** Waits until the scorer's consumer group has {@code members} members that all hold partitions. */
    private void awaitGroupMembers(String scorer, int members, Process child, Path logFile) throws Exception {
        String group = scorerConfig(scorer, "any").groupId();
        try (Admin admin = stack.kafka.admin()) {
            Wait.explained(() -> "group " + group + " never had " + members + " members; child log:\n" + log(logFile),
                    () -> Wait.atMost(GUARD, Duration.ofMillis(200))
                            .failFast(() -> assertTrue(child.isAlive(), () -> "child scorer died:\n" + log(logFile)))
                            .until(() -> {
                                ConsumerGroupDescription described;
                                try {
                                    described = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                                            .get(30, TimeUnit.SECONDS);
                                } catch (ExecutionException e) {
                                    return false; // the group does not exist until its first member joins
                                }
                                return described.members().size() == members
                                        && described.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                            }));
        }
    }

    private void awaitCount(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match, int wanted, Process child, Path logFile)
            throws Exception {
        AtomicInteger found = new AtomicInteger();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            Wait.explained(() -> "only " + found.get() + " of " + wanted + " in " + topic + "; child log:\n" + log(logFile),
                    () -> Wait.atMost(GUARD, Duration.ZERO)
                            .failFast(() -> assertTrue(child.isAlive(), () -> "child scorer died:\n" + log(logFile)))
                            .until(() -> {
                                if (found.get() < wanted) {
                                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                                        if (match.test(r)) {
                                            found.incrementAndGet();
                                        }
                                    }
                                }
                                return found.get() >= wanted;
                            }));
        }
    }

    /** Everything committed in {@code topic}, read to its last stable offsets. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Wait.explained(() -> "cannot read " + topic + " to its end", () -> Wait.atMost(GUARD, Duration.ZERO).until(() -> {
                if (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                }
                return partitions.stream().noneMatch(p -> consumer.position(p) < end.get(p));
            }));
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private String scorerOf(ConsumerRecord<byte[], byte[]> r) {
        return decode(Score.class, topics.scores(), r).getScorer();
    }

    private <T> T decode(Class<T> type, String topic, ConsumerRecord<byte[], byte[]> r) {
        return new AvroDeserializer<>(registry, type).deserialize(topic, r.value());
    }

    private static String keyOf(DeadLetter letter) {
        return Optional.ofNullable(letter.getKey()).map(k -> StandardCharsets.UTF_8.decode(k.duplicate()).toString()).orElse("");
    }

    private static DeadLetter stage(List<DeadLetter> letters, String stage) {
        return letters.stream().filter(l -> l.getStage().equals(stage)).findFirst().orElseThrow();
    }

    private static String log(Path file) {
        try {
            String text = Files.readString(file);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

}

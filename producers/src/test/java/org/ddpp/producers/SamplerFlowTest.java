package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.checkpoint.PolicyWeights;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.dlq.DeadLetters;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samplers against the real embedded broker and registry, each test on its own set of topics: a following sampler
 * publishes decodable candidates, swaps to a verified new policy version, keeps that version when the next file's
 * sha256 is wrong (which lands in the dead-letter topic); with a staleness bound of 0 it publishes nothing while a
 * newer version downloads over http; a pinned sampler stops publishing at the flow-control bound while nobody
 * consumes and resumes by exactly what was settled when the trainer's group commits and the joiner dead-letters
 * (both written in transactions, whose markers must not count); a replay sampler publishes prior data and stops after
 * its quota. Waits are guarded by 60 s; nothing asserts speed.
 */
class SamplerFlowTest {

    private static final NetworkShape SHAPE = NetworkShape.of(32, 1, 2);
    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir static Path dir;
    private static NDManager root;
    private static Path pretrained;
    private static TestStack stack;
    private static CachedSchemaRegistry registry;

    @BeforeAll
    static void pretrain() throws Exception {
        stack = TestStack.get();
        registry = stack.cache();
        root = NDManager.newBaseManager();
        pretrained = dir.resolve("pretrained");
        try (Mdm model = Pretraining.run(new GridTask(), PretrainConfig.defaults().withSteps(20).withShape(SHAPE), root).model()) {
            Checkpoint.writer(pretrained, new GridTask()).setPolicy(model).write();
        }
    }

    @AfterAll
    static void close() {
        root.close();
    }

    @Test
    void followsVerifiedPolicyVersionsAndDeadLettersABadOne() throws Exception {
        String run = "sampling-follow-" + UUID.randomUUID();
        TopicNames topics = createTopics(run + ".");
        SamplerConfig config = base(run, topics).opt(SamplerSettings.SAMPLER_ID, "follower").opt(SamplerSettings.MAX_OUTSTANDING, 0L).build();
        AvroDeserializer<Candidate> candidates = new AvroDeserializer<>(registry, Candidate.class);
        try (SamplerService sampler = SamplerService.start(config);
                KafkaConsumer<byte[], byte[]> consumer = stack.consumer(topics.candidates())) {
            List<Candidate> seen = new ArrayList<>();
            pollUntil(consumer, candidates, topics.candidates(), seen, () -> seen.size() >= 8);
            Candidate first = seen.get(0);
            assertEquals(run, first.getRun());
            assertEquals("grid", first.getTask());
            assertEquals(0, first.getPolicyVersion());
            assertEquals(CandidateSource.POLICY, first.getSource());
            assertEquals("follower", first.getSamplerId());
            int[] tokens = first.getTokens().stream().mapToInt(Integer::intValue).toArray();
            assertEquals(null, new GridTask().validate(tokens));
            assertEquals(new GridTask().render(tokens), first.getText());

            Path weights = dir.resolve(run + "-v1.params");
            String sha;
            try (Mdm next = Mdm.create(new GridTask(), SHAPE, 99L, root)) {
                sha = PolicyWeights.write(next, weights);
            }
            announce(run, topics.policy(), 1, weights, sha);
            pollUntil(consumer, candidates, topics.candidates(), seen, () -> seen.stream().anyMatch(c -> c.getPolicyVersion() == 1));
            assertEquals(1, sampler.policyVersion());
            assertEquals(1, (long) sampler.meters().value("swaps"));

            announce(run, topics.policy(), 2, weights, "0".repeat(64));
            AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
            DeadLetter letter = letters.deserialize(topics.dlq(), stack.readUntil(topics.dlq(), r -> true, 1).get(0).value());
            assertEquals(PolicyRejections.STAGE, letter.getStage());
            assertEquals(topics.policy(), letter.getSourceTopic());
            assertTrue(letter.getReason().contains("policy version 2") && letter.getReason().contains("announced " + "0".repeat(64)),
                    letter.getReason());
            long publishedAtRejection = sampler.published();
            Wait.atMost(GUARD).alias("sampling goes on after the rejection")
                    .until(() -> sampler.published() >= publishedAtRejection + 16);
            assertEquals(1, sampler.policyVersion());
            assertEquals(1, (long) sampler.meters().value("dead.letters", "stage", PolicyRejections.STAGE));
            pollUntil(consumer, candidates, topics.candidates(), seen, () -> seen.size() >= publishedAtRejection + 16);
            assertEquals(Set.of(0L, 1L), seen.stream().map(Candidate::getPolicyVersion).collect(Collectors.toSet()));

            AvroDeserializer<Metrics> metrics = new AvroDeserializer<>(registry, Metrics.class);
            Metrics report = metrics.deserialize(topics.metrics(), stack.readUntil(topics.metrics(), r -> {
                Metrics m = metrics.deserialize(topics.metrics(), r.value());
                return m.getValues().getOrDefault("dead_letters_total{stage=\"" + PolicyRejections.STAGE + "\"}", 0.0) >= 1
                        && m.getValues().containsKey("candidates_per_s");
            }, 1).get(0).value());
            assertEquals("sampler", report.getRole());
            assertEquals("follower", report.getInstance());
            assertEquals(1.0, report.getValues().get("policy_version"));
            double exported = report.getValues().get("candidates_total");
            assertTrue(exported > 0 && exported <= sampler.published(), "the meter's count, as of the export: " + exported);
            assertEquals("follower", report.getLabels().get("sampler"), "identity tags are the record's labels");
        }
    }

    @Test
    void aPinnedSamplerStopsAtTheBoundUntilTheTrainerCommits() throws Exception {
        String run = "sampling-flow-" + UUID.randomUUID();
        TopicNames topics = createTopics(run + ".");
        int bound = 20;
        int batch = 8;
        // the fixed bound (no target latency): this test counts what is outstanding against it
        SamplerConfig config = base(run, topics).optPinned(true).opt(SamplerSettings.MAX_OUTSTANDING, (long) bound)
                .opt(SamplerSettings.TARGET_LATENCY, Duration.ZERO).opt(SamplerSettings.FLOW_REFRESH, Duration.ofMillis(100)).build();
        try (SamplerService sampler = SamplerService.start(config)) {
            Wait.atMost(GUARD).alias("the sampler pauses at the bound")
                    .until(() -> sampler.published() >= bound && sampler.paused());
            long published = sampler.published();
            assertTrue(published >= bound && published < bound + batch, "published " + published);
            Thread.sleep(1500);
            assertEquals(published, sampler.published(), "nothing is published while nobody consumes");
            assertEquals(published, endOffsets(topics.candidates()));

            // the joiner settles 20 candidates in 20 transactions (each leaves a marker that takes an offset): 16 scored
            // candidates, which the trainer's group then commits, and 4 dead letters (plus one for another topic)
            AvroSerializer<DeadLetter> letters = new AvroSerializer<>(registry, true, false);
            try (KafkaProducer<byte[], byte[]> joiner = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "joiner-" + run), new ByteArraySerializer(), new ByteArraySerializer())) {
                joiner.initTransactions();
                for (int i = 0; i < 16; i++) {
                    joiner.beginTransaction();
                    joiner.send(new ProducerRecord<>(topics.rewards(), 0, null, "x".getBytes(StandardCharsets.UTF_8)));
                    joiner.commitTransaction();
                }
                for (int i = 0; i < 5; i++) {
                    String source = i < 4 ? topics.candidates() : topics.policy();
                    ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(source, 1, i, null, new byte[] {1});
                    joiner.beginTransaction();
                    joiner.send(new ProducerRecord<>(topics.dlq(), 0, null,
                            letters.serialize(topics.dlq(), DeadLetters.of(raw, "joiner:timeout", "no score", null))));
                    joiner.commitTransaction();
                }
            }
            assertEquals(32, endOffsets(topics.rewards()), "16 records and 16 commit markers");
            Thread.sleep(1000); // lets the sampler's counter read them before the trainer commits (it normally leads)
            try (KafkaConsumer<byte[], byte[]> trainer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, config.trainerGroupId()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                trainer.commitSync(Map.of(new TopicPartition(topics.rewards(), 0), new OffsetAndMetadata(endOffsets(topics.rewards()))));
            }
            int settled = 16 + 4;
            Wait.atMost(GUARD).alias("the sampler resumes and pauses again")
                    .until(() -> sampler.published() >= published + batch && sampler.paused());
            long after = sampler.published();
            assertTrue(after >= bound + settled && after < bound + settled + batch,
                    "published " + after + " (offset arithmetic would have counted the 21 transaction markers as settled)");

            AvroDeserializer<Candidate> candidates = new AvroDeserializer<>(registry, Candidate.class);
            List<Candidate> all = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = stack.consumer(topics.candidates())) {
                pollUntil(consumer, candidates, topics.candidates(), all, () -> all.size() >= after);
            }
            assertTrue(all.stream().allMatch(c -> c.getSource() == CandidateSource.PRETRAINED && c.getPolicyVersion() == 0));
        }
    }

    @Test
    void aStaleSamplerSwapsBeforeItPublishesAgain() throws Exception {
        String run = "sampling-stale-" + UUID.randomUUID();
        TopicNames topics = createTopics(run + ".");
        Path weights = dir.resolve(run + "-v1.params");
        String sha;
        try (Mdm next = Mdm.create(new GridTask(), SHAPE, 7L, root)) {
            sha = PolicyWeights.write(next, weights);
        }
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/policies/v1.params", ex -> {
            requested.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = Files.readAllBytes(weights);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        SamplerConfig config = base(run, topics).opt(SamplerSettings.MAX_STALE_VERSIONS, 0).opt(SamplerSettings.MAX_OUTSTANDING, 0L).build();
        try (SamplerService sampler = SamplerService.start(config)) {
            Wait.atMost(GUARD).alias("the sampler publishes version 0")
                    .until(() -> sampler.published() >= 16);
            announce(run, topics.policy(), 1, "http://127.0.0.1:" + server.getAddress().getPort() + "/policies/v1.params",
                    sha, Files.size(weights));
            assertTrue(requested.await(60, TimeUnit.SECONDS), "the follower fetches version 1 over http");
            Thread.sleep(1000); // a batch that passed its check just before the announcement may still land
            long held = sampler.published();
            Thread.sleep(1000);
            assertEquals(held, sampler.published(), "no version-0 batch is published once version 1 is announced");
            assertEquals(0, sampler.policyVersion());
            release.countDown();
            Wait.atMost(GUARD).alias("the sampler swaps and publishes again")
                    .until(() -> sampler.published() >= held + 16);
            assertEquals(1, sampler.policyVersion());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void aReplaySamplerPublishesPriorDataAndStopsAfterMaxCandidates() throws Exception {
        String run = "sampling-replay-" + UUID.randomUUID();
        TopicNames topics = createTopics(run + ".");
        SamplerConfig config = base(run, topics).optSource(CandidateSource.REPLAY).opt(SamplerSettings.MAX_CANDIDATES, 12L).build();
        try (SamplerService sampler = SamplerService.start(config)) {
            assertTrue(sampler.awaitStopped(Duration.ofSeconds(60)));
            assertEquals(12, sampler.published());
            AvroDeserializer<Candidate> candidates = new AvroDeserializer<>(registry, Candidate.class);
            List<Candidate> all = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = stack.consumer(topics.candidates())) {
                pollUntil(consumer, candidates, topics.candidates(), all, () -> all.size() >= 12);
            }
            for (Candidate c : all) {
                assertEquals(CandidateSource.REPLAY, c.getSource());
                assertTrue(GridTask.inSquareBand(c.getTokens().get(0)) && GridTask.inSquareBand(c.getTokens().get(1)),
                        "prior data lies in the squares: " + c.getText());
            }
        }
    }

    private static SamplerConfig.Builder base(String run, TopicNames topics) {
        return SamplerConfig.builder().setRun(run).setConnection(stack.connection(topics)).setPretrained(pretrained)
                .opt(SamplerSettings.BATCH_SIZE, 8).opt(SamplerSettings.SAMPLER_STEPS, 4).opt(SamplerSettings.SEED, 5L).opt(SamplerSettings.METRICS_INTERVAL, Duration.ofMillis(500))
                .opt(SamplerSettings.DOWNLOAD_DIR, dir.resolve("downloads")).opt(SamplerSettings.ALLOW_FILE_WEIGHTS, true);
    }

    private static TopicNames createTopics(String prefix) throws Exception {
        TopicNames topics = TopicNames.isolated(prefix, "");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
            admin.createTopics(List.of(
                    new NewTopic(topics.candidates(), 4, (short) 1),
                    new NewTopic(topics.rewards(), 1, (short) 1),
                    new NewTopic(topics.policy(), 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(topics.metrics(), 1, (short) 1),
                    new NewTopic(topics.dlq(), 1, (short) 1))).all().get();
        }
        return topics;
    }

    private static void announce(String run, String topic, long version, Path weights, String sha) throws Exception {
        announce(run, topic, version, weights.toUri().toString(), sha, Files.size(weights));
    }

    private static void announce(String run, String topic, long version, String uri, String sha, long size) throws Exception {
        PolicyUpdate update = PolicyUpdate.newBuilder().setRun(run).setVersion(version).setStep(version * 50)
                .setUri(uri).setSha256(sha).setSizeBytes(size)
                .setCreatedAt(Instant.now()).setDetails(Map.of()).build();
        AvroSerializer<PolicyUpdate> serializer = new AvroSerializer<>(registry, true, false);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            producer.send(new ProducerRecord<>(topic, run.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, update))).get();
        }
    }

    private static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = stack.consumer(topic)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static void pollUntil(KafkaConsumer<byte[], byte[]> consumer, AvroDeserializer<Candidate> decoder, String topic,
            List<Candidate> into, BooleanSupplier done) {
        Wait.explained(() -> "condition not met after reading " + into.size() + " candidates from " + topic,
                () -> Wait.atMost(GUARD, Duration.ZERO).until(() -> {
                    if (done.getAsBoolean()) {
                        return true;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Candidate c = decoder.deserialize(topic, r.value());
                        assertEquals(c.getId(), new String(r.key(), StandardCharsets.UTF_8));
                        into.add(c);
                    }
                    return done.getAsBoolean();
                }));
    }
}

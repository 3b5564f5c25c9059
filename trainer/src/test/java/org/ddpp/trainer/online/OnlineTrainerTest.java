package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online trainer against the real broker and registry: it trains on scored candidates of its run, dead-letters
 * the bad ones, publishes policy versions whose weights can be fetched and verified, reports metrics, and after a
 * restart resumes from its checkpoint without counting any candidate twice.
 */
class OnlineTrainerTest {

    @TempDir Path dir;

    @Test
    void trainsPublishesAndResumes() throws Exception {
        TestStack stack = TestStack.get();
        String run = "trainer-test-" + UUID.randomUUID();
        Path pretrained = pretrainAndPublish(stack, run, "pretrained", 200, NetworkShape.of(32, 1, 2), 300, 0);
        // Bad input the trainer must dead-letter (and keep going): an out-of-vocabulary token and a NaN reward;
        // a candidate of another run is skipped.
        CachedSchemaRegistry registry = stack.cache();
        Serde<ScoredCandidate> serde = Topics.REWARDS.valueSerde(registry, true);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            send(producer, serde, scored(run, new int[] {3, 500}, 0.0));
            send(producer, serde, scored(run, new int[] {3, 4}, Double.NaN));
            send(producer, serde, scored("other-" + run, new int[] {3, 4}, 0.0));
        }

        OnlineTrainerConfig config = OnlineTrainerConfig.builder()
                .setRun(run)
                .setConnection(stack.connection())
                .setPretrained(pretrained)
                .setStateDir(dir.resolve("state"))
                .optLogZShape(NetworkShape.of(16, 1, 2))
                .opt(TrainerSettings.PUBLISH_EVERY, 40)
                .opt(TrainerSettings.CHECKPOINT_EVERY, 40)
                .opt(TrainerSettings.MAX_STEPS, 80L)
                .opt(TrainerSettings.METRICS_INTERVAL, java.time.Duration.ofMillis(200))
                .build();
        long consumedFirst;
        try (OnlineTrainer trainer = OnlineTrainer.create(config, null)) {
            assertFalse(trainer.resumed());
            trainer.run();
            assertEquals(80, trainer.stepCount());
            assertEquals(2, trainer.policyVersion());
            consumedFirst = trainer.consumed();
            assertEquals(300, consumedFirst, "valid candidates of the run added to the buffer");
        }

        // Two versions announced on ddpp.policy; the weights behind each URL match the announced sha256.
        Serde<PolicyUpdate> policySerde = Topics.POLICY.valueSerde(registry, false);
        List<PolicyUpdate> updates = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : stack.readUntil(Topics.POLICY.name(),
                r -> policySerde.deserializer().deserialize(r.topic(), r.value()).getRun().equals(run), 2)) {
            updates.add(policySerde.deserializer().deserialize(r.topic(), r.value()));
        }
        assertEquals(List.of(1L, 2L), updates.stream().map(PolicyUpdate::getVersion).toList());
        // The trainer is closed, so its HTTP server is gone: check the file the URL pointed to via its file URI.
        for (PolicyUpdate u : updates.subList(1, 2)) {
            try (InputStream in = URI.create(u.getDetails().get("file")).toURL().openStream()) {
                byte[] bytes = in.readAllBytes();
                assertEquals(u.getSizeBytes(), bytes.length);
                assertEquals(u.getSha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
            assertTrue(u.getUri().startsWith("http://127.0.0.1:"), u.getUri());
        }

        Serde<DeadLetter> dlqSerde = Topics.DLQ.valueSerde(registry, false);
        List<String> reasons = stack.readUntil(Topics.DLQ.name(), r -> {
            DeadLetter d = dlqSerde.deserializer().deserialize(r.topic(), r.value());
            return d.getStage().equals("trainer") && d.getSourceTopic().equals(Topics.REWARDS.name())
                    && new String(r.key() == null ? new byte[0] : r.key()).contains(run);
        }, 2).stream().map(r -> dlqSerde.deserializer().deserialize(r.topic(), r.value()).getReason()).toList();
        assertTrue(reasons.stream().anyMatch(s -> s.contains("outside the vocabulary")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(s -> s.contains("non-finite")), reasons.toString());

        Serde<Metrics> metricsSerde = Topics.METRICS.valueSerde(registry, false);
        Metrics m = metricsSerde.deserializer().deserialize(Topics.METRICS.name(), stack.readUntil(Topics.METRICS.name(),
                r -> {
                    Metrics x = metricsSerde.deserializer().deserialize(r.topic(), r.value());
                    return x.getRun().equals(run) && x.getValues().containsKey("loss") && x.getValues().containsKey("steps_per_s");
                }, 1).get(0).value());
        for (String key : List.of("loss", "log_r_mean", "log_z_full_mask", "policy_version", "buffer_size", "staleness_versions",
                "consumer_lag", "steps_total", "steps_per_s", "dead_letters_total{stage=\"trainer\"}")) {
            assertTrue(m.getValues().containsKey(key), "metric " + key + " missing: " + m.getValues().keySet());
        }

        // More candidates arrive, the trainer restarts: it resumes from its checkpoint and consumes only the new ones.
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm model = Checkpoint.open(pretrained).loadPolicy(root);
            publishScored(stack, run, model, 50, 1);
        }
        OnlineTrainerConfig more = OnlineTrainerConfig.builder().setRun(run).setConnection(stack.connection()).setPretrained(pretrained).setStateDir(dir.resolve("state"))
                .optLogZShape(NetworkShape.of(16, 1, 2)).opt(TrainerSettings.PUBLISH_EVERY, 40).opt(TrainerSettings.CHECKPOINT_EVERY, 40).opt(TrainerSettings.MAX_STEPS, 120L).build();
        try (OnlineTrainer trainer = OnlineTrainer.create(more, null)) {
            assertTrue(trainer.resumed());
            assertEquals(80, trainer.stepCount());
            assertEquals(2, trainer.policyVersion());
            Wait.atMost(java.time.Duration.ofSeconds(60)).alias("the restarted trainer reads the 50 new candidates")
                    .until(() -> trainer.consumed() >= 50);
            trainer.run();
            assertEquals(120, trainer.stepCount());
            assertEquals(3, trainer.policyVersion());
            assertEquals(50, trainer.consumed(), "after a restart only the new candidates count as consumed");
            Map<Integer, Long> offsets = Checkpoint.open(dir.resolve("state").resolve("checkpoint")).manifest().extra().entrySet()
                    .stream().filter(e -> e.getKey().equals("offsets")).findFirst().map(e -> parse(e.getValue())).orElseThrow();
            assertEquals(trainer.nextOffsets(), offsets, "the checkpoint holds the offsets the trainer had consumed");
        }
    }

    @Test
    void aCrashedTrainerNeverAnnouncesAVersionTwiceAndKeepsItsWeightsUrl() throws Exception {
        TestStack stack = TestStack.get();
        String run = "trainer-crash-" + UUID.randomUUID();
        Path pretrained = pretrainAndPublish(stack, run, "crash-pretrained", 50, NetworkShape.of(16, 1, 2), 200, 3);
        // versions every 10 steps, checkpoints only every 1000: a crash loses versions announced since the last one
        OnlineTrainerConfig config = OnlineTrainerConfig.builder().setRun(run).setConnection(stack.connection())
                .setPretrained(pretrained).setStateDir(dir.resolve("crash-state")).optLogZShape(NetworkShape.of(16, 1, 2))
                .opt(TrainerSettings.BATCH_SIZE, 16).optDdpp(org.ddpp.diffusion.train.DdppConfig.builder().optWarmupSteps(5).build()).opt(TrainerSettings.PUBLISH_EVERY, 10).opt(TrainerSettings.CHECKPOINT_EVERY, 1000).opt(TrainerSettings.INITIAL_FILL, 64).build();
        for (int life = 0; life < 2; life++) {
            if (life > 0) {
                try (NDManager root = NDManager.newBaseManager()) {
                    publishScored(stack, run, Checkpoint.open(pretrained).loadPolicy(root), 200, 4); // fresh work for the restart
                }
            }
            try (OnlineTrainer trainer = OnlineTrainer.create(config, null)) {
                long target = trainer.policyVersion() + 3;
                Thread t = new Thread(() -> {
                    try {
                        trainer.run();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                t.start();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (trainer.policyVersion() < target && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                trainer.halt(); // a crash: no final checkpoint
                t.join();
            }
        }
        Serde<PolicyUpdate> policySerde = Topics.POLICY.valueSerde(stack.cache(), false);
        List<PolicyUpdate> updates = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : stack.readUntil(Topics.POLICY.name(),
                r -> policySerde.deserializer().deserialize(r.topic(), r.value()).getRun().equals(run), 6)) {
            updates.add(policySerde.deserializer().deserialize(r.topic(), r.value()));
        }
        List<Long> versions = updates.stream().map(PolicyUpdate::getVersion).toList();
        assertEquals(versions.stream().distinct().sorted().toList(), versions,
                "every announced version is new and larger than the ones before: " + versions);
        assertTrue(versions.size() >= 6, versions.toString());
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (PolicyUpdate u : updates) {
            hosts.add(URI.create(u.getUri()).getAuthority());
        }
        assertEquals(1, hosts.size(), "the restarted trainer serves weights where the announced URLs point: " + hosts);
    }

    private static Map<Integer, Long> parse(String text) {
        Map<Integer, Long> out = new java.util.HashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.split(":");
            out.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
        }
        return out;
    }

    /** Pre-trains a small grid model, checkpoints it under {@code name} and publishes {@code n} scored samples of it. */
    private Path pretrainAndPublish(TestStack stack, String run, String name, int steps, NetworkShape shape, int n, long seed)
            throws java.io.IOException {
        GridTask task = new GridTask();
        Path pretrained = dir.resolve(name);
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, PretrainConfig.defaults().withSteps(steps).withShape(shape), root);
            Checkpoint.writer(pretrained, task).setPolicy(pre.model()).write();
            publishScored(stack, run, pre.model(), n, seed);
        }
        return pretrained;
    }

    /** Samples {@code n} candidates from {@code model}, scores them with the half-plane reward, publishes them. */
    private static void publishScored(TestStack stack, String run, Mdm model, int n, long seed) {
        int[][] xs = new AncestralSampler(16, true, true, new MaskSchedule()).sample(model, n, new SplittableRandom(seed));
        double[] logR = new LogRewardFloor(new HalfPlaneReward(), -20).logReward(xs);
        Serde<ScoredCandidate> serde = Topics.REWARDS.valueSerde(stack.cache(), true);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            for (int i = 0; i < n; i++) {
                send(producer, serde, scored(run, xs[i], logR[i]));
            }
        }
    }

    private static ScoredCandidate scored(String run, int[] tokens, double logR) {
        List<Integer> t = new ArrayList<>();
        for (int v : tokens) {
            t.add(v);
        }
        Candidate c = Candidate.newBuilder().setId(run + "/" + UUID.randomUUID()).setRun(run).setTask("grid").setTokens(t)
                .setText("(" + tokens[0] + ", " + tokens[1] + ")").setPolicyVersion(0)
                .setSource(tokens[0] % 2 == 0 ? CandidateSource.POLICY : CandidateSource.PRETRAINED)
                .setSamplerId("test").setSeed(0).setCreatedAt(Instant.now()).build();
        return ScoredCandidate.newBuilder().setCandidate(c).setLogReward(logR).setComponents(List.of()).setJoinedAt(Instant.now()).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Serde<ScoredCandidate> serde, ScoredCandidate sc) {
        String topic = Topics.REWARDS.name();
        producer.send(new ProducerRecord<>(topic, sc.getCandidate().getId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                serde.serializer().serialize(topic, sc)));
    }
}

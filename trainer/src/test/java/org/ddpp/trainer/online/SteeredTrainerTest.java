package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.reward.RewardFormula;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running trainer steered to a new reward configuration on a real broker: it recombines its buffer from the stored
 * components (dropping samples without a newly required term), and reports the new version on its metrics and on
 * the policy versions it publishes, without a restart.
 */
class SteeredTrainerTest {

    @TempDir Path dir;

    @Test
    void aRunningTrainerFollowsANewRewardConfiguration() throws Exception {
        TestStack stack = TestStack.get();
        String run = "steered-" + UUID.randomUUID();
        GridTask task = new GridTask();
        Path pretrained = dir.resolve("pretrained");
        try (NDManager root = NDManager.newBaseManager()) {
            Checkpoint.writer(pretrained, task).setPolicy(Mdm.create(task, NetworkShape.of(16, 1, 2), 1, root)).write();
        }
        // 600 candidates joined under the joiner's own composition (version 0); every tenth lacks b
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        publish(stack, run, 600, rng);
        OnlineTrainerConfig config = OnlineTrainerConfig.builder().setRun(run).setConnection(stack.connection())
                .setPretrained(pretrained).setStateDir(dir.resolve("state")).optLogZShape(NetworkShape.of(16, 1, 2))
                .optDdpp(org.ddpp.diffusion.train.DdppConfig.builder().optWarmupSteps(5).build())
                .opt(TrainerSettings.BATCH_SIZE, 16).opt(TrainerSettings.INITIAL_FILL, 64).opt(TrainerSettings.FRESH_PER_STEP, 1)
                .opt(TrainerSettings.PUBLISH_EVERY, 10).opt(TrainerSettings.STEER_LOGZ_STEPS, 5)
                .opt(TrainerSettings.QUALITY_INTERVAL, Duration.ofMillis(300))
                .opt(TrainerSettings.METRICS_INTERVAL, Duration.ofMillis(200)).build();
        // at most 20 steps a second, so the reader (one new candidate per step) is still held at its allowance below
        OnlineTrainer.Listener throttle = new OnlineTrainer.Listener() {
            @Override
            public void onStep(org.ddpp.diffusion.train.DdppLearner.StepResult result) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (OnlineTrainer trainer = OnlineTrainer.create(config, throttle)) {
            Thread training = new Thread(() -> {
                try {
                    trainer.run();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            training.start();
            Wait.atMost(Duration.ofSeconds(60)).alias("the trainer trains under version 0").until(() -> trainer.stepCount() > 10);
            assertEquals(0, trainer.rewardConfigVersion());
            assertTrue(trainer.bufferedSamples().stream().anyMatch(s -> !s.terms().containsKey("b")),
                    "under version 0 a sample without b is trained on");

            RewardConfig v1 = MixedReplaySteeringTest.config(1, 1.0, -20.0, "a", 1.0, "b", 0.5);
            send(stack, run, v1);
            Wait.atMost(Duration.ofSeconds(30)).alias("the trainer steers to version 1").until(() -> trainer.rewardConfigVersion() == 1);
            List<ScoredSequence> buffered = trainer.bufferedSamples();
            assertTrue(buffered.size() > 0);
            for (ScoredSequence s : buffered) {
                assertEquals(1, s.rewardConfigVersion());
                assertTrue(s.terms().containsKey("b"), "a sample without the newly required b left the buffer");
                double expected = Math.max(-20.0, s.terms().get("a") + 0.5 * s.terms().get("b"));
                assertEquals(expected, s.logReward(), 1e-12);
                assertEquals(expected, RewardFormula.combine(v1, s.terms()).orElseThrow().logReward(), 1e-12);
            }

            long stepAtChange = trainer.stepCount();
            Serde<PolicyUpdate> policySerde = Topics.POLICY.valueSerde(stack.cache(), false);
            PolicyUpdate steered = policySerde.deserializer().deserialize(Topics.POLICY.name(), stack.readUntil(Topics.POLICY.name(), r -> {
                PolicyUpdate u = policySerde.deserializer().deserialize(r.topic(), r.value());
                return u.getRun().equals(run) && "1".equals(u.getDetails().get("reward_config_version"));
            }, 1).get(0).value());
            assertTrue(steered.getStep() > stepAtChange - 10, "announced after the change: step " + steered.getStep());

            Serde<Metrics> metricsSerde = Topics.METRICS.valueSerde(stack.cache(), false);
            Metrics m = metricsSerde.deserializer().deserialize(Topics.METRICS.name(), stack.readUntil(Topics.METRICS.name(), r -> {
                Metrics x = metricsSerde.deserializer().deserialize(r.topic(), r.value());
                return x.getRun().equals(run) && "1".equals(x.getLabels().get("reward_config_version"))
                        && Double.isFinite(x.getValues().getOrDefault("posterior_kl_pre", Double.NaN))
                        && x.getValues().getOrDefault("samples_dropped_total{reason=\"missing-reward-term\"}", 0.0) > 0;
            }, 1).get(0).value());
            assertEquals(1.0, m.getValues().get("reward_config_version"));
            for (String key : List.of("posterior_log_z_mc", "posterior_ess", "posterior_ess_fraction",
                    "posterior_reward_zero_share{source=\"policy\"}", "posterior_reward_zero_share{source=\"pretrained\"}",
                    "logz_rewarm_steps", "log_z_full_mask")) {
                assertTrue(m.getValues().containsKey(key), key + " missing: " + m.getValues().keySet());
            }
            assertTrue(Double.isFinite(m.getValues().get("posterior_log_z_mc")));

            // Version 2 requires a scorer no buffered sample has: the buffer empties, and the trainer takes in fresh
            // candidates (past its per-step allowance, which no step can raise now) and trains on again.
            long consumedBefore = trainer.consumed();
            assertTrue(consumedBefore < 600, "the reader waits at its allowance (" + consumedBefore + " of 600 read)");
            send(stack, run, MixedReplaySteeringTest.config(2, 1.0, -20.0, "c", 1.0));
            Wait.atMost(Duration.ofSeconds(30)).alias("the trainer steers to version 2").until(() -> trainer.rewardConfigVersion() == 2);
            publish(stack, run, 100, rng, "c");
            long steps = trainer.stepCount();
            Wait.atMost(Duration.ofSeconds(60)).alias("the trainer trains again on candidates that have c")
                    .until(() -> trainer.stepCount() > steps + 10);
            assertTrue(trainer.consumed() > consumedBefore);
            assertTrue(trainer.bufferedSamples().stream().allMatch(s -> s.rewardConfigVersion() == 2 && s.terms().containsKey("c")
                    && s.logReward() == Math.max(-20.0, s.terms().get("c"))));
            trainer.stop();
            training.join();
        }

        // Steered again while the trainer is down: the restarted trainer files the records it re-reads into its buffer
        // under version 3 and re-warms the log Z its checkpoint trained under version 2.
        send(stack, run, MixedReplaySteeringTest.config(3, 1.0, -20.0, "a", 1.0, "c", 2.0));
        try (OnlineTrainer resumed = OnlineTrainer.create(config, null)) {
            assertTrue(resumed.resumed());
            assertEquals(3, resumed.rewardConfigVersion(), "the configuration is read before the first record");
            assertEquals(5, resumed.rewarmStepsLeft());
            Wait.atMost(Duration.ofSeconds(30)).alias("the warm-up re-read refills the buffer")
                    .until(() -> resumed.bufferedSamples().size() >= 50);
            for (ScoredSequence s : resumed.bufferedSamples()) {
                assertEquals(3, s.rewardConfigVersion());
                assertEquals(Math.max(-20.0, s.terms().get("a") + 2.0 * s.terms().get("c")), s.logReward(), 1e-12);
            }
        }
    }

    /**
     * {@code n} scored grid candidates, half on-policy, half pinned, joined under a composition a=1, b=0.25 (version
     * 0); every tenth was joined without b (as under an older composition).
     */
    /** Publishes {@code config} as version of {@code run} on the reward-configuration topic (what {@code ddpp steer} writes). */
    private static void send(TestStack stack, String run, RewardConfig config) throws Exception {
        config.setRun(run);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            String topic = Topics.REWARD_CONFIG.name();
            producer.send(new ProducerRecord<>(topic, run.getBytes(StandardCharsets.UTF_8),
                    Topics.REWARD_CONFIG.valueSerde(stack.cache(), true).serializer().serialize(topic, config))).get();
        }
    }

    private static void publish(TestStack stack, String run, int n, java.util.SplittableRandom rng, String... extraScorers) {
        Serde<ScoredCandidate> serde = Topics.REWARDS.valueSerde(stack.cache(), true);
        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            for (int i = 0; i < n; i++) {
                int[] x = {rng.nextInt(128), rng.nextInt(128)};
                double a = x[0] >= 64 ? 0.0 : -25.0;
                double b = -x[1] / 64.0;
                List<RewardComponent> components = new ArrayList<>();
                components.add(RewardComponent.newBuilder().setScorer("a").setScorerVersion("1").setWeight(1.0).setLogReward(a).build());
                for (String extra : extraScorers) {
                    components.add(RewardComponent.newBuilder().setScorer(extra).setScorerVersion("1").setWeight(1.0)
                            .setLogReward(-x[0] / 128.0).build());
                }
                if (i % 10 != 0) {
                    components.add(RewardComponent.newBuilder().setScorer("b").setScorerVersion("1").setWeight(0.25).setLogReward(b).build());
                }
                Candidate c = Candidate.newBuilder().setId(run + "/" + UUID.randomUUID()).setRun(run).setTask("grid").setTokens(List.of(x[0], x[1]))
                        .setText("").setPolicyVersion(0).setSource(i % 2 == 0 ? CandidateSource.POLICY : CandidateSource.PRETRAINED)
                        .setSamplerId("test").setSeed(0).setCreatedAt(Instant.now()).build();
                ScoredCandidate sc = ScoredCandidate.newBuilder().setCandidate(c).setLogReward(Math.max(-20.0, a + (i % 10 != 0 ? 0.25 * b : 0.0)))
                        .setComponents(components).setJoinedAt(Instant.now()).build();
                String topic = Topics.REWARDS.name();
                producer.send(new ProducerRecord<>(topic, c.getId().getBytes(StandardCharsets.UTF_8), serde.serializer().serialize(topic, sc)));
            }
        }
    }
}

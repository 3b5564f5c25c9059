package org.ddpp.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.schemas.Topics;
import org.ddpp.testkit.Wait;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.online.OnlineTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online loop end to end on a real embedded broker and registry: samplers, two scorer services, the reward
 * joiner and the trainer communicate only through Kafka. Mid-run the trainer crashes (no final checkpoint) and a
 * scorer instance is replaced; the run goes on. The exact TV to the target must fall to half its start, every
 * published candidate must be accounted for exactly once, and the trainer's offsets must match what it consumed.
 */
class DemoEndToEndTest {

    /** How often the waits check; each limit only turns a hang into a failure, it is not a speed assertion. */
    private static final Duration POLL = Duration.ofMillis(250);

    @TempDir Path dir;

    @Test
    void onlineLoopConvergesAccountsForEveryCandidateAndSurvivesCrashes() throws Exception {
        DemoSettings settings = DemoSettings.builder()
                .setRun("e2e-" + UUID.randomUUID())
                .setWorkDir(dir)
                .optCacheDir(Path.of("target", "ddpp-cache"))
                .optPretrain(PretrainConfig.defaults().withSteps(2000))
                .opt(DemoOptions.CHECKPOINT_EVERY, 100)
                .opt(DemoOptions.JOIN_TIMEOUT, Duration.ofSeconds(10))
                .opt(DemoOptions.METRICS_INTERVAL, Duration.ofSeconds(1))
                .build();
        try (DemoPipeline pipeline = DemoPipeline.create(settings).startAll()) {
            double tvStart = pipeline.startValue();
            assertTrue(tvStart > 0.4, "the pre-trained model should start far from the target: " + tvStart);

            Wait.atMost(Duration.ofSeconds(120), POLL).alias("trainer reaches 250 steps")
                    .until(() -> pipeline.trainer().stepCount() >= 250);
            long beforeCrash = pipeline.trainer().stepCount();
            pipeline.crashTrainer();
            pipeline.stopScorer("grid-center");
            pipeline.startScorer("grid-center");
            pipeline.startTrainer();
            OnlineTrainer resumed = pipeline.trainer();
            assertTrue(resumed.resumed(), "the restarted trainer must resume from its checkpoint");
            assertTrue(resumed.stepCount() >= 200 && resumed.stepCount() <= beforeCrash,
                    "resumed at step " + resumed.stepCount() + " after crashing at " + beforeCrash);

            Wait.atMost(Duration.ofSeconds(180), POLL).alias("exact TV halves").until(() -> pipeline.valueNow() <= tvStart / 2);

            RunAccounting.Report report = pipeline.drain(Duration.ofSeconds(60));
            assertTrue(report.exact(), "accounting: " + report);
            assertTrue(report.candidates() > 500, "too few candidates: " + report);

            Wait.atMost(Duration.ofSeconds(60), POLL).alias("trainer reads ddpp.rewards to its end")
                    .until(() -> endOffsets(pipeline.bootstrapServers()).equals(resumed.nextOffsets()));
            pipeline.stopTrainer();
            Map<Integer, Long> end = endOffsets(pipeline.bootstrapServers());
            String saved = Checkpoint.open(dir.resolve("trainer").resolve("checkpoint")).manifest().extra().get("offsets");
            Map<Integer, Long> checkpointed = new HashMap<>();
            for (String part : saved.split(",")) {
                String[] kv = part.split(":");
                checkpointed.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
            }
            assertEquals(end, checkpointed, "the final checkpoint's offsets are the ends of ddpp.rewards");
            List<DemoPipeline.EvalPoint> curve = pipeline.curve();
            assertTrue(curve.size() >= 3, "TV curve " + curve);
        }
    }

    private static Map<Integer, Long> endOffsets(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.REWARDS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<Integer, Long> out = new HashMap<>();
            c.endOffsets(parts).forEach((tp, o) -> {
                if (o > 0) {
                    out.put(tp.partition(), o);
                }
            });
            return out;
        }
    }
}

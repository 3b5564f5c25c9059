package org.ddpp.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.ops.tasks.ProteinFineTuneTest;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.tasks.protein.GarnierPredictor;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ddpp demo --task protein} in miniature on the embedded stack: the demo starts the Java Chou–Fasman scorer
 * in process and the external Python garnier scorer as a child process, the joiner needs both, and the trainer
 * learns from the joined reward. Every candidate must be accounted for exactly once, every reward must carry both
 * components, and published versions must be evaluated (mean log R and the GOR sheet fraction of fresh samples).
 */
class ProteinDemoTest {

    @TempDir Path dir;

    @BeforeAll
    static void needsPythonScorerAndEmboss() {
        boolean here = new GarnierPredictor().available() && java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3"));
        if (System.getenv("DDPP_REQUIRE_CONFORMANCE") != null) {
            assertTrue(here, "the protein demo needs Debian's emboss and python3-confluent-kafka");
        }
        Assumptions.assumeTrue(here, "emboss or python3 is not installed");
    }

    @Test
    void theProteinDemoJoinsTheJavaAndThePythonScorerAndTrains() throws Exception {
        String run = "protein-e2e-" + UUID.randomUUID();
        DemoSettings settings = DemoSettings.builder()
                .setRun(run)
                .setWorkDir(dir)
                .optTask("protein")
                .optCacheDir(ProteinFineTuneTest.CACHE)
                .optPretrain(ProteinFineTuneTest.SMALL)
                .opt(DemoOptions.PUBLISH_EVERY, 20)
                .opt(DemoOptions.EVALUATION_SAMPLES, 32)
                .opt(DemoOptions.JOIN_TIMEOUT, Duration.ofSeconds(20))
                .opt(DemoOptions.METRICS_INTERVAL, Duration.ofSeconds(1))
                .build();
        try (DemoPipeline pipeline = DemoPipeline.create(settings).startAll()) {
            assertEquals(DemoPipeline.MEAN_LOG_R, pipeline.headline());
            assertEquals(1, pipeline.externalScorers().size(), "the garnier scorer runs as a child process");
            Wait.atMost(Duration.ofSeconds(240), Duration.ofMillis(500)).alias("60 trainer steps and 3 evaluated versions")
                    .until(() -> {
                        if (pipeline.trainer().stepCount() >= 60 && pipeline.curve().size() >= 3) {
                            return true;
                        }
                        assertTrue(pipeline.externalScorers().get(0).alive(),
                                "the garnier scorer died; see " + pipeline.externalScorers().get(0).log());
                        return false;
                    });
            assertTrue(pipeline.trainer().stepCount() >= 60, "trainer steps: " + pipeline.trainer().stepCount());
            assertTrue(pipeline.curve().size() >= 3, "evaluated versions: " + pipeline.curve());
            assertTrue(pipeline.latestFigures().containsKey("garnier_sheet_fraction"), "figures: " + pipeline.latestFigures());

            RunAccounting.Report report = pipeline.drain(Duration.ofSeconds(60));
            if (!report.exact()) {
                dumpDeadLetters(pipeline);
            }
            assertTrue(report.exact(), "every candidate exactly once: " + report);
            assertTrue(report.scored() > 100, "scored candidates: " + report);

            Set<Set<String>> componentSets = new HashSet<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(java.util.List.of(Topics.REWARDS.name()));
                var values = Topics.REWARDS.valueSerde(new CachedSchemaRegistry(SchemaRegistryClient.of(pipeline.schemaRegistryUrl())), false).deserializer();
                long seen = 0;
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen < report.scored() && System.nanoTime() < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        ScoredCandidate sc = (ScoredCandidate) values.deserialize(r.topic(), r.value());
                        if (run.equals(sc.getCandidate().getRun().toString())) {
                            Set<String> names = new HashSet<>();
                            for (RewardComponent c : sc.getComponents()) {
                                names.add(c.getScorer().toString());
                            }
                            componentSets.add(names);
                            seen++;
                        }
                    }
                }
                assertEquals(report.scored(), seen, "rewards read back");
            }
            assertEquals(Set.of(Set.of("protein-sheet", "garnier-sheet")), componentSets,
                    "every reward joins the Java and the Python scorer");
        }
    }

    private static void dumpDeadLetters(DemoPipeline pipeline) {
        java.util.Map<String, Integer> byStage = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dump-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.List.of(Topics.DLQ.name()));
            var values = Topics.DLQ.valueSerde(new CachedSchemaRegistry(SchemaRegistryClient.of(pipeline.schemaRegistryUrl())), false).deserializer();
            int printed = 0;
            for (int i = 0; i < 20; i++) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var d = values.deserialize(r.topic(), r.value());
                    String reason = String.valueOf(d.getReason());
                    byStage.merge(d.getStage() + " | " + reason.substring(0, Math.min(60, reason.length())), 1, Integer::sum);
                    if (printed++ < 6) {
                        System.out.println("DLQ " + new String(r.key()) + " " + d.getStage() + " " + reason);
                    }
                }
            }
        }
        byStage.forEach((k, v) -> System.out.println("DLQ-STAGE " + v + " x " + k));
    }
}

package org.ddpp.ops.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.producers.SamplerConfig;
import org.ddpp.producers.SamplerService;
import org.ddpp.producers.SamplerSettings;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.scorers.joiner.JoinerConfig;
import org.ddpp.scorers.joiner.JoinerSettings;
import org.ddpp.scorers.joiner.RewardJoiner;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import org.ddpp.scorers.service.ScorerSettings;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.offline.Pretraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scorers come and go while a run goes on (issue "continuous online steering", part 4): one sampler, one joiner
 * and the {@code grid-half-plane} scorer run from start to end, never restarted. The run is steered to require a
 * scorer that is not running yet ({@code grid-center}): its candidates wait, and once that scorer service starts
 * they are joined with both components. Steered again to {@code grid-center} alone, the half-plane scorer is
 * stopped and rewards go on. Every candidate lands exactly once in the rewards or the dead letters, each reward
 * under the version its candidate carries and equal to that version's exact combination.
 */
class LiveSteeringTest {

    private static final Duration GUARD = Duration.ofSeconds(90);
    private static final String RUN = "steered";

    @TempDir Path dir;
    private final TestStack stack = TestStack.get();
    private final String suffix = "-steer-live-" + UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = TopicNames.isolated("", suffix);
    private final ClusterConnection connection = stack.connection(topics);

    @Test
    void aScorerAddedAndOneRemovedAtRunTimeNeedNoRestart() throws Exception {
        connection.createMissingTopics();
        Path pretrained = pretrainTinyGrid();
        RewardConfigLog steering = new RewardConfigLog(connection, Duration.ofSeconds(30));
        Rewards rewards = new Rewards();
        ScorerService center = null;
        try (RewardJoiner joiner = RewardJoiner.start(JoinerConfig.builder().setConnection(connection)
                        .opt(JoinerSettings.APPLICATION_ID, "ddpp-joiner").optComposition(RewardComposition.parse("grid-half-plane=1", -20))
                        .opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(60)).opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofMillis(200))
                        .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory(dir, "joiner")).build());
                ScorerService halfPlane = ScorerService.start(scorer("grid-half-plane"));
                SamplerService sampler = SamplerService.start(SamplerConfig.builder().setRun(RUN).setConnection(connection)
                        .setPretrained(pretrained).optSource(CandidateSource.PRETRAINED)
                        .opt(SamplerSettings.BATCH_SIZE, 8).opt(SamplerSettings.SAMPLER_STEPS, 2)
                        .opt(SamplerSettings.MAX_OUTSTANDING, 64L).opt(SamplerSettings.FLOW_REFRESH, Duration.ofMillis(100))
                        .opt(SamplerSettings.METRICS_INTERVAL, Duration.ofSeconds(1)).build())) {
            rewards.start(sampler.config().trainerGroupId());
            awaitRewards(rewards, 0, 20);

            // steer to a composition that needs a scorer nobody runs yet: its candidates wait for it
            steering.publish(RUN, RewardComposition.parse("grid-half-plane=1,grid-center=0.5", -20), 2.0, "test", "add center");
            Wait.atMost(GUARD).until(() -> rewards.candidatesOf(1) >= 20);
            assertEquals(0, rewards.ofVersion(1).size(), "no scorer grid-center runs yet: nothing of version 1 can be joined");

            center = ScorerService.start(scorer("grid-center"));
            awaitRewards(rewards, 1, 20);
            for (ScoredCandidate r : rewards.ofVersion(1)) {
                assertEquals(List.of("grid-half-plane", "grid-center"), r.getComponents().stream().map(RewardComponent::getScorer).toList());
                assertEquals(List.of(2.0, 1.0), r.getComponents().stream().map(RewardComponent::getWeight).toList(), "beta 2 folded in");
            }

            // steer to the centre alone, then stop the half-plane scorer: rewards go on without it
            steering.publish(RUN, RewardComposition.parse("grid-center=1", -20), 1.0, "test", "drop half-plane");
            Wait.atMost(GUARD).until(() -> rewards.candidatesOf(2) >= 1);
            halfPlane.close();
            int before = rewards.ofVersion(2).size();
            awaitRewards(rewards, 2, before + 30);
            assertTrue(!sampler.awaitStopped(Duration.ZERO) && sampler.failure() == null, "the sampler never stopped");
            assertTrue(joiner.state().isRunningOrRebalancing(), "the joiner never stopped");
            assertTrue(halfPlane.failure() == null && center.isRunning(), "the scorers ran until stopped");
        } finally {
            if (center != null) {
                center.close();
            }
        }
        // the sampler stopped: everything it published settles (version-0 and -1 candidates need grid-half-plane,
        // stopped above, so those still pending time out into dead letters, never vanish)
        long published;
        try (KafkaConsumer<byte[], byte[]> probe = stack.consumer(topics.candidates())) {
            published = probe.endOffsets(probe.partitionsFor(topics.candidates()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList())
                    .values().stream().mapToLong(Long::longValue).sum();
        }
        Wait.atMost(GUARD).until(() -> rewards.candidates.size() >= published);
        Wait.explained(() -> rewards.settled() + " of " + rewards.candidates.size() + " candidates settled",
                () -> Wait.atMost(GUARD).until(() -> rewards.settled() >= rewards.candidates.size()));
        List<Candidate> candidates = List.copyOf(rewards.candidates);
        rewards.close();
        Map<String, Long> perCandidate = new HashMap<>();
        rewards.all.forEach(r -> perCandidate.merge(r.getCandidate().getId(), 1L, Long::sum));
        rewards.letters.forEach(l -> perCandidate.merge(l, 1L, Long::sum));
        assertEquals(candidates.size(), perCandidate.size(), "every candidate settled");
        assertEquals(Map.of(), perCandidate.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "settled more than once");
        Map<String, Long> versionOf = candidates.stream().collect(Collectors.toMap(Candidate::getId, Candidate::getRewardConfigVersion));
        Map<Long, RewardComposition> compositions = Map.of(0L, RewardComposition.parse("grid-half-plane=1", -20),
                1L, RewardComposition.parse("grid-half-plane=2,grid-center=1", -20), 2L, RewardComposition.parse("grid-center=1", -20));
        for (ScoredCandidate r : rewards.all) {
            long version = versionOf.get(r.getCandidate().getId());
            assertEquals(version, r.getRewardConfigVersion(), "joined under the version its candidate carries");
            int[] tokens = r.getCandidate().getTokens().stream().mapToInt(Integer::intValue).toArray();
            assertEquals(ExactRewards.of(compositions.get(version)).logReward(new int[][] {tokens})[0], r.getLogReward(), 1e-9,
                    "reward of " + r.getCandidate().getId() + " under version " + version);
        }
    }

    private ScorerServiceConfig scorer(String name) {
        return ScorerServiceConfig.builder().setConnection(connection).setScorer(name)
                .opt(ScorerSettings.INSTANCE_ID, name + suffix).opt(ScorerSettings.BATCH_SIZE, 16)
                .opt(ScorerSettings.SESSION_TIMEOUT, Duration.ofSeconds(10)).opt(ScorerSettings.METRICS_INTERVAL, Duration.ofSeconds(1)).build();
    }

    private Path pretrainTinyGrid() throws Exception {
        Path out = dir.resolve("pretrained");
        try (NDManager root = NDManager.newBaseManager();
                Mdm model = Pretraining.run(new GridTask(), PretrainConfig.defaults().withSteps(10).withShape(NetworkShape.of(16, 1, 2)), root).model()) {
            Checkpoint.writer(out, new GridTask()).setPolicy(model).write();
        }
        return out;
    }

    private void awaitRewards(Rewards rewards, long version, int wanted) {
        Wait.explained(() -> "only " + rewards.ofVersion(version).size() + " rewards of version " + version + " (of " + wanted + ")",
                () -> Wait.atMost(GUARD).until(() -> rewards.ofVersion(version).size() >= wanted));
    }

    /**
     * Reads the rewards (read_committed) and the joiner's dead letters as the trainer would, committing the rewards
     * for the trainer's group so that the sampler's flow control moves on.
     */
    private final class Rewards implements AutoCloseable {
        final List<ScoredCandidate> all = new CopyOnWriteArrayList<>();
        final List<String> letters = new CopyOnWriteArrayList<>();
        final List<Candidate> candidates = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start(String group) {
            thread = new Thread(() -> read(group), "test-rewards");
            thread.setDaemon(true);
            thread.start();
        }

        private void read(String group) {
            AvroDeserializer<ScoredCandidate> values = new AvroDeserializer<>(stack.cache(), ScoredCandidate.class);
            AvroDeserializer<DeadLetter> dead = new AvroDeserializer<>(stack.cache(), DeadLetter.class);
            AvroDeserializer<Candidate> sampled = new AvroDeserializer<>(stack.cache(), Candidate.class);
            Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, Object> plain = new HashMap<>(props);
            plain.put(ConsumerConfig.GROUP_ID_CONFIG, "test-candidates" + suffix);
            try (KafkaConsumer<byte[], byte[]> sampledReader = new KafkaConsumer<>(plain, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topics.rewards(), topics.dlq()));
                sampledReader.subscribe(List.of(topics.candidates()));
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : sampledReader.poll(Duration.ofMillis(50))) {
                        candidates.add(sampled.deserialize(r.topic(), r.value()));
                    }
                    var batch = consumer.poll(Duration.ofMillis(150));
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        if (r.topic().equals(topics.rewards())) {
                            all.add(values.deserialize(r.topic(), r.value()));
                        } else {
                            DeadLetter letter = dead.deserialize(r.topic(), r.value());
                            if (letter.getStage().startsWith("joiner:") && letter.getSourceTopic().equals(topics.candidates())) {
                                letters.add(new String(letter.getKey().array(), java.nio.charset.StandardCharsets.UTF_8));
                            }
                        }
                    }
                    if (!batch.isEmpty()) {
                        consumer.commitSync();
                    }
                }
            }
            }
        }

        List<ScoredCandidate> ofVersion(long version) {
            return all.stream().filter(r -> r.getRewardConfigVersion() == version).toList();
        }

        long candidatesOf(long version) {
            return candidates.stream().filter(c -> c.getRewardConfigVersion() == version).count();
        }

        long settled() {
            return all.size() + letters.size();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}

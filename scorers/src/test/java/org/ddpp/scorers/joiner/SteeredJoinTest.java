package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.scorers.reward.RewardComposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A steered run in the joiner's topology: each candidate is joined under the reward configuration it carries, a
 * newly required scorer is required only for candidates of the new version, a removed one no longer is, and a
 * version the joiner does not know yet waits for it (and is dead-lettered with its reason if it never comes).
 */
class SteeredJoinTest {

    /** The run's versions as the follower would know them; tests add versions while the join runs. */
    private final Map<Long, RewardConfig> known = new ConcurrentHashMap<>();
    private JoinerDriver joiner;

    @BeforeEach
    void start() throws Exception {
        JoinerConfig config = JoinerConfig.builder()
                .setConnection(org.ddpp.runtime.ClusterConnection.local("unused:9092", "http://unused"))
                .opt(JoinerSettings.APPLICATION_ID, "joiner-steered-test").optComposition(RewardComposition.parse("a=1", -20))
                .opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(10)).opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofSeconds(1))
                .opt(JoinerSettings.IN_MEMORY_STATE, true)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("joiner-steered-test")).build();
        RewardVersions versions = new RewardVersions() {
            @Override
            public Optional<RewardConfig> config(String run, long version) {
                return "r".equals(run) ? Optional.ofNullable(known.get(version)) : Optional.empty();
            }

            @Override
            public boolean mayRequire(String scorer) {
                return known.values().stream().anyMatch(c -> c.getScorers().stream().anyMatch(t -> t.getScorer().equals(scorer)));
            }
        };
        joiner = new JoinerDriver(config, versions);
    }

    @AfterEach
    void stop() {
        joiner.close();
    }

    private static RewardConfig version(long v, double beta, double floor, Map<String, Double> weights) {
        List<RewardTerm> terms = weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new RewardTerm(e.getKey(), e.getValue())).toList();
        return RewardConfig.newBuilder().setRun("r").setVersion(v).setScorers(terms).setFloor(floor).setBeta(beta)
                .setSetBy("test").setSetAt(Instant.EPOCH).setReason(null).build();
    }

    @Test
    void eachCandidateIsJoinedUnderTheVersionItCarries() {
        known.put(1L, version(1, 2.0, -30, Map.of("a", 1.0, "b", 0.5)));
        known.put(2L, version(2, 1.0, -20, Map.of("b", 1.0)));

        joiner.sendCandidate("unsteered", "s", Duration.ZERO, 0L);
        joiner.sendScore("unsteered", "a", ScoreStatus.OK, -1.0);
        joiner.sendCandidate("v1", "s", Duration.ofMillis(1), 1L);
        joiner.sendScore("v1", "a", ScoreStatus.OK, -1.0);
        assertTrue(joiner.readRewards().stream().noneMatch(r -> r.getCandidate().getId().equals("v1")),
                "v1 also requires b, added by the steering");
        joiner.sendScore("v1", "b", ScoreStatus.OK, -2.0);
        joiner.sendCandidate("v2", "s", Duration.ofMillis(2), 2L);
        joiner.sendScore("v2", "b", ScoreStatus.OK, -3.0); // a was removed in v2: not waited for
        joiner.sendScore("v2", "a", ScoreStatus.FAILED, null); // and a failure of a removed scorer does not matter

        List<ScoredCandidate> out = joiner.readRewards();
        assertEquals(List.of("v1", "v2"), out.stream().map(r -> r.getCandidate().getId()).toList(),
                "the unsteered candidate was joined at its first score: " + out);
        ScoredCandidate v1 = out.get(0);
        assertEquals(1L, v1.getRewardConfigVersion());
        assertEquals(2.0 * (1.0 * -1.0 + 0.5 * -2.0), v1.getLogReward(), 1e-12, "beta times the weighted sum");
        assertEquals(List.of(new RewardComponent("a", "1", 2.0, -1.0), new RewardComponent("b", "1", 1.0, -2.0)),
                v1.getComponents(), "weights with beta folded in");
        ScoredCandidate v2 = out.get(1);
        assertEquals(2L, v2.getRewardConfigVersion());
        assertEquals(-3.0, v2.getLogReward(), 1e-12);
        assertEquals(List.of("b"), v2.getComponents().stream().map(RewardComponent::getScorer).toList());
        assertTrue(joiner.readLetters().isEmpty());
    }

    @Test
    void theUnsteeredCandidateUsesTheJoinersOwnScorers() {
        joiner.sendCandidate("c", "s", Duration.ZERO, 0L);
        joiner.sendScore("c", "a", ScoreStatus.OK, -1.5);
        ScoredCandidate out = joiner.readRewards().get(0);
        assertEquals(0L, out.getRewardConfigVersion());
        assertEquals(-1.5, out.getLogReward());
    }

    @Test
    void aVersionNotKnownYetWaitsAndIsJoinedOnceItIsKnown() {
        joiner.sendCandidate("c", "s", Duration.ZERO, 3L);
        joiner.sendScore("c", "a", ScoreStatus.OK, -1.0);
        joiner.sendScore("c", "z", ScoreStatus.OK, -4.0); // not required by anything known: dropped
        joiner.advance(Duration.ofSeconds(2));
        assertTrue(joiner.readRewards().isEmpty(), "version 3 is not known: it must not be joined under another");
        known.put(3L, version(3, 1.0, -20, Map.of("a", 1.0)));
        joiner.advance(Duration.ofSeconds(1));
        List<ScoredCandidate> out = joiner.readRewards();
        assertEquals(1, out.size(), "joined at the next punctuation");
        assertEquals(3L, out.get(0).getRewardConfigVersion());
        assertEquals(-1.0, out.get(0).getLogReward());
        joiner.advance(Duration.ofSeconds(20));
        assertTrue(joiner.readLetters().isEmpty(), "settled once, no timeout after it");
    }

    @Test
    void aVersionThatNeverComesIsADeadLetterWithItsReasonAndABadOneAtOnce() {
        joiner.sendCandidate("never", "s", Duration.ZERO, 9L);
        joiner.sendScore("never", "a", ScoreStatus.OK, -1.0);
        joiner.sendCandidate("negative", "s", Duration.ofMillis(1), -1L);
        List<DeadLetter> first = joiner.readLetters();
        assertEquals(1, first.size());
        assertEquals("joiner:reward-config", first.get(0).getStage());
        assertTrue(first.get(0).getReason().contains("version -1"), first.get(0).getReason());

        joiner.advance(Duration.ofSeconds(11));
        List<DeadLetter> letters = joiner.readLetters();
        assertEquals(1, letters.size());
        assertEquals("joiner:reward-config", letters.get(0).getStage());
        assertTrue(letters.get(0).getReason().contains("version 9 of run r's reward configuration was not known"),
                letters.get(0).getReason());
        assertTrue(joiner.readRewards().isEmpty());
        assertEquals(2, joiner.metrics.deadLetters());
    }

    @Test
    void aScoreBeforeItsCandidateIsKeptWhenASteeredVersionRequiresItsScorer() {
        known.put(1L, version(1, 1.0, -20, Map.of("b", 1.0)));
        joiner.sendScore("c", "b", ScoreStatus.OK, -2.0); // b is not the joiner's own, but version 1 requires it
        joiner.sendCandidate("c", "s", Duration.ZERO, 1L);
        List<ScoredCandidate> out = joiner.readRewards();
        assertEquals(1, out.size());
        assertEquals(-2.0, out.get(0).getLogReward());
    }
}

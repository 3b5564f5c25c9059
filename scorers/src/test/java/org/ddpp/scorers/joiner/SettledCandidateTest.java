package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.scorers.reward.RewardComposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A settled candidate stays settled, however late the next record about it comes: a score of a scorer that
 * catches up long after the candidate was joined or timed out is dropped and counted, not dead-lettered as an
 * orphan (a second verdict), and the same candidate record arriving again is dead-lettered, not joined again.
 */
class SettledCandidateTest {

    private static final Duration LONG_AFTER = Duration.ofHours(2);

    private JoinerDriver joiner;

    @BeforeEach
    void start() throws Exception {
        joiner = new JoinerDriver(config(JoinerSettings.SETTLED_CAPACITY.defaultValue()));
    }

    private static JoinerConfig config(long settledCapacity) throws java.io.IOException {
        return JoinerConfig.builder()
                .setConnection(org.ddpp.runtime.ClusterConnection.local("unused:9092", "http://unused"))
                .opt(JoinerSettings.APPLICATION_ID, "joiner-settled-test").optComposition(RewardComposition.parse("a=1,b=1", -20))
                .opt(JoinerSettings.JOIN_TIMEOUT, Duration.ofSeconds(10)).opt(JoinerSettings.PUNCTUATE_INTERVAL, Duration.ofSeconds(1))
                .opt(JoinerSettings.IN_MEMORY_STATE, true).opt(JoinerSettings.SETTLED_CAPACITY, settledCapacity)
                .opt(JoinerSettings.STATE_DIR, Files.createTempDirectory("joiner-settled-test")).build();
    }

    @AfterEach
    void stop() {
        joiner.close();
    }

    @Test
    void aScoreLongAfterItsCandidateWasJoinedIsDroppedAndCounted() {
        join("c1", "s", Duration.ZERO);
        assertEquals(1, joiner.readRewards().size());

        joiner.advance(LONG_AFTER);
        joiner.sendScore("c1", "b", ScoreStatus.OK, -2.0);
        joiner.advance(Duration.ofMinutes(1));

        assertEquals(List.of(), joiner.readLetters(), "a late score is not a second verdict");
        assertTrue(joiner.readRewards().isEmpty());
        assertEquals(1.0, joiner.metrics.lateScores.count());
    }

    @Test
    void theLaggingScorerOfATimedOutCandidateDoesNotAddAnOrphanScore() {
        joiner.sendCandidate("c2", "s", Duration.ZERO);
        joiner.sendScore("c2", "a", ScoreStatus.OK, -1.0);
        joiner.advance(Duration.ofSeconds(11));
        assertEquals(List.of("joiner:timeout"), joiner.readLetters().stream().map(DeadLetter::getStage).toList());

        joiner.advance(LONG_AFTER);
        joiner.sendScore("c2", "b", ScoreStatus.OK, -1.0);
        joiner.advance(Duration.ofMinutes(1));

        assertEquals(List.of(), joiner.readLetters().stream().map(DeadLetter::getStage).toList());
        assertTrue(joiner.readRewards().isEmpty(), "a late score must not revive a dead-lettered candidate");
        assertEquals(1.0, joiner.metrics.lateScores.count());
    }

    @Test
    void aCandidateRecordArrivingAgainLongAfterItWasJoinedIsDeadLetteredNotJoinedAgain() {
        join("c3", "s", Duration.ZERO);
        assertEquals(1, joiner.readRewards().size());

        joiner.advance(LONG_AFTER);
        join("c3", "s", Duration.ZERO);
        joiner.advance(Duration.ofMinutes(1));

        List<ScoredCandidate> again = joiner.readRewards();
        assertEquals(List.of(), again.stream().map(s -> s.getCandidate().getId()).toList(), "joined twice");
        assertEquals(List.of("joiner:duplicate-candidate"), joiner.readLetters().stream().map(DeadLetter::getStage).toList());
        assertEquals(2.0, joiner.metrics.lateScores.count());
    }

    @Test
    void theIndexIsBoundedAndOlderCandidatesAreStillRecognisedByTheirSamplersHorizon() throws Exception {
        joiner.close();
        joiner = new JoinerDriver(config(3));
        for (int i = 1; i <= 5; i++) {
            join("c" + i, "s", Duration.ofSeconds(i));
        }
        assertEquals(5, joiner.readRewards().size());
        KeyValueStore<Bytes, byte[]> store = joiner.driver.getKeyValueStore(RewardJoiner.SETTLED_STORE);
        SettledIndex index = new SettledIndex(store, 3, SettledIndex.MAX_SAMPLERS);
        assertEquals(3, index.size());
        assertEquals(2, index.evicted());
        assertEquals(2 * 3 + 2, store.approximateNumEntries(), "3 ids, their order, one sampler horizon, the counters");
        assertTrue(!index.contains("c1") && index.contains("c3"));

        joiner.advance(LONG_AFTER);
        joiner.sendCandidate("c1", "s", Duration.ofSeconds(1));
        List<DeadLetter> again = joiner.readLetters();
        assertEquals(List.of("joiner:duplicate-candidate"), again.stream().map(DeadLetter::getStage).toList());
        assertTrue(again.get(0).getReason().contains("it was settled before"), again.get(0).getReason());

        join("c6", "s", Duration.ofSeconds(6));
        join("t1", "t", Duration.ZERO); // another sampler's clock: its own horizon
        assertEquals(List.of("c6", "t1"), joiner.readRewards().stream().map(r -> r.getCandidate().getId()).toList());

        // what the bound can still confuse: a score for a candidate that left the window looks like an orphan
        joiner.sendScore("c1", "b", ScoreStatus.OK, -1.0);
        joiner.advance(Duration.ofSeconds(11));
        List<DeadLetter> orphans = joiner.readLetters();
        assertEquals(List.of("joiner:orphan-score"), orphans.stream().map(DeadLetter::getStage).toList());
        assertTrue(orphans.get(0).getReason().contains("settled before the newest 3 settled candidates"), orphans.get(0).getReason());
        assertTrue(joiner.readRewards().isEmpty());
    }

    private void join(String id, String sampler, Duration createdAfter) {
        joiner.sendCandidate(id, sampler, createdAfter);
        joiner.sendScore(id, "a", ScoreStatus.OK, -1.0);
        joiner.sendScore(id, "b", ScoreStatus.OK, -1.0);
    }
}

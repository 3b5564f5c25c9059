package org.ddpp.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.junit.jupiter.api.Test;

/** How the trainer's buffer follows a new reward configuration: recombined, dropped on a missing term, and the insertion rule. */
class MixedReplaySteeringTest {

    static RewardConfig config(long version, double beta, double floor, Object... weights) {
        List<RewardTerm> terms = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i += 2) {
            terms.add(RewardTerm.newBuilder().setScorer((String) weights[i]).setWeight((Double) weights[i + 1]).build());
        }
        return RewardConfig.newBuilder().setRun("r").setVersion(version).setScorers(terms).setFloor(floor).setBeta(beta)
                .setSetBy("test").setSetAt(Instant.now()).build();
    }

    private static ScoredSequence sample(int id, String source, double logReward, long version, Map<String, Double> terms) {
        return new ScoredSequence(new int[] {id, 0}, logReward, source, 0, terms, version, false);
    }

    @Test
    void aChangeRecombinesEveryBufferedSampleAndDropsThoseMissingATerm() {
        MixedReplay replay = new MixedReplay(3, 0.5); // capacity 3: the policy side wraps below
        for (int i = 0; i < 5; i++) {
            assertTrue(replay.add(sample(i, ScoredSequence.POLICY, -1.0 * i, 0, Map.of("a", -1.0 * i, "b", -2.0))));
        }
        assertTrue(replay.add(sample(10, ScoredSequence.PRETRAINED, -1.0, 0, Map.of("a", -1.0)))); // no b
        assertTrue(replay.add(sample(11, ScoredSequence.PRETRAINED, -20.0, 0, Map.of("a", -30.0, "b", 0.0))));
        assertEquals(0, replay.rewardConfigVersion());
        assertEquals(List.of(-2.0, -3.0, -4.0), replay.newestPolicy(10).stream().map(ScoredSequence::logReward).toList(),
                "under version 0 the joiner's values are taken as given");

        MixedReplay.Steered steered = replay.steer(config(1, 2.0, -20.0, "a", 1.0, "b", 0.5));
        assertEquals(new MixedReplay.Steered(1, 4, 1), steered);
        assertEquals(1, replay.droppedMissingTerm());
        assertEquals(1, replay.rewardConfigVersion());
        // log R = max(floor, β Σ w_k log R_k): 2·(−i − 1), order kept (oldest first)
        List<ScoredSequence> policy = replay.newestPolicy(10);
        assertEquals(List.of(2, 3, 4), policy.stream().map(s -> s.tokens()[0]).toList());
        assertEquals(List.of(-6.0, -8.0, -10.0), policy.stream().map(ScoredSequence::logReward).toList());
        assertTrue(policy.stream().allMatch(s -> s.rewardConfigVersion() == 1 && !s.floored()));
        List<ScoredSequence> pinned = replay.newestPinned(10);
        assertEquals(1, pinned.size());
        assertEquals(-20.0, pinned.get(0).logReward(), "2·(−30) is below the floor");
        assertTrue(pinned.get(0).floored());
        assertEquals(Map.of("a", -30.0, "b", 0.0), pinned.get(0).terms(), "the raw terms stay for the next change");

        // a buffer recombined twice comes from the raw terms, not from the previous combination
        replay.steer(config(2, 1.0, -20.0, "a", 1.0));
        assertEquals(List.of(-2.0, -3.0, -4.0), replay.newestPolicy(10).stream().map(ScoredSequence::logReward).toList());
        assertEquals(-20.0, replay.newestPinned(10).get(0).logReward());
    }

    @Test
    void recordsTakenInAfterAChangeAreRecombinedUnderTheCurrentVersion() {
        MixedReplay replay = new MixedReplay(10, 0.5);
        replay.steer(config(3, 1.0, -20.0, "a", 1.0, "b", 0.5));
        assertTrue(replay.add(sample(1, ScoredSequence.POLICY, -7.0, 0, Map.of("a", -1.0, "b", -2.0))));
        assertTrue(replay.add(sample(2, ScoredSequence.POLICY, -7.0, 2, Map.of("a", -1.0, "b", -2.0))));
        assertTrue(replay.add(sample(3, ScoredSequence.POLICY, -7.0, 3, Map.of("a", -1.0, "b", -2.0))));
        assertFalse(replay.add(sample(4, ScoredSequence.POLICY, -1.0, 0, Map.of("a", -1.0))), "b is required");
        assertEquals(1, replay.droppedMissingTerm());
        assertEquals(List.of(-2.0, -2.0, -7.0), replay.newestPolicy(10).stream().map(ScoredSequence::logReward).toList(),
                "other versions recombined; the current version's value as the joiner gave it");
        assertTrue(replay.newestPolicy(10).stream().allMatch(s -> s.rewardConfigVersion() == 3));
    }

    @Test
    void aScoredCandidateKeepsItsRawTermsAndWhetherTheFloorRaisedIt() {
        org.ddpp.schemas.avro.Candidate c = org.ddpp.schemas.avro.Candidate.newBuilder().setId("x").setRun("r").setTask("grid")
                .setTokens(List.of(1, 2)).setText("").setPolicyVersion(4).setSamplerId("s").setSeed(0)
                .setCreatedAt(Instant.now()).build();
        org.ddpp.schemas.avro.ScoredCandidate scored = org.ddpp.schemas.avro.ScoredCandidate.newBuilder().setCandidate(c)
                .setLogReward(-20.0).setJoinedAt(Instant.now()).setRewardConfigVersion(2)
                .setComponents(List.of(
                        org.ddpp.schemas.avro.RewardComponent.newBuilder().setScorer("a").setScorerVersion("1").setWeight(1.0)
                                .setLogReward(Double.NEGATIVE_INFINITY).build(),
                        org.ddpp.schemas.avro.RewardComponent.newBuilder().setScorer("b").setScorerVersion("1").setWeight(0.5)
                                .setLogReward(-1.0).build()))
                .build();
        ScoredSequence s = RewardRecombination.sample(scored, new int[] {1, 2}, ScoredSequence.POLICY);
        assertEquals(Map.of("a", Double.NEGATIVE_INFINITY, "b", -1.0), s.terms());
        assertEquals(2, s.rewardConfigVersion());
        assertEquals(4, s.policyVersion());
        assertTrue(s.floored());
        ScoredSequence unfloored = RewardRecombination.sample(org.ddpp.schemas.avro.ScoredCandidate.newBuilder(scored)
                .setLogReward(-0.5).setComponents(List.of(scored.getComponents().get(1))).build(), new int[] {1, 2}, ScoredSequence.POLICY);
        assertFalse(unfloored.floored());
    }
}

package org.ddpp.trainer.online;

import java.util.Map;
import java.util.Optional;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.reward.RewardFormula;

/**
 * The trainer's rule for what a buffered sample's log reward means once the run is steered: under the trainer's
 * current reward configuration V ≥ 1 a sample combined under another version is recombined from its stored
 * per-scorer terms with {@link RewardFormula} (the joiner's formula), and a sample that lacks a term V requires
 * cannot be trained on under V; under version 0 (never steered) the joiner's value is taken as given. One rule for
 * the buffer at a change, for every record taken in after it, and for records re-read after a restart.
 */
final class RewardRecombination {

    private RewardRecombination() {}

    /**
     * {@code sample} under {@code config} (null: version 0, as given); empty when a term {@code config} requires
     * is missing.
     */
    static Optional<ScoredSequence> under(RewardConfig config, ScoredSequence sample) {
        if (config == null || sample.rewardConfigVersion() == config.getVersion()) {
            return Optional.of(sample);
        }
        return RewardFormula.combine(config, sample.terms())
                .map(c -> sample.reweighted(c.logReward(), config.getVersion(), c.clamped()));
    }

    /**
     * The buffered form of a scored candidate: its tokens and reward, the scorers' raw log rewards by name, the
     * version it was combined under, and whether the floor raised it (the weighted sum of its components below its
     * combined value; unknown, so false, without components).
     */
    static ScoredSequence sample(ScoredCandidate scored, int[] tokens, String source) {
        Map<String, Double> terms = new java.util.HashMap<>();
        double raw = 0;
        for (RewardComponent c : scored.getComponents()) {
            terms.put(c.getScorer(), c.getLogReward());
            raw += c.getWeight() * c.getLogReward();
        }
        // the joiner wrote max(floor, raw): below it by more than rounding means the floor raised it
        boolean floored = !scored.getComponents().isEmpty()
                && raw < scored.getLogReward() - 1e-9 * Math.max(1.0, Math.abs(scored.getLogReward()));
        return new ScoredSequence(tokens, scored.getLogReward(), source, scored.getCandidate().getPolicyVersion(), terms,
                scored.getRewardConfigVersion(), floored);
    }
}

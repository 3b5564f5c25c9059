package org.ddpp.scorers.joiner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the reward joiner across its stream tasks, turned into the {@code values} of its {@code Metrics}
 * records. Counts restart with the process; after an aborted Streams transaction a record may be counted twice
 * (the output itself is exactly once). Thread-safe.
 */
public final class JoinerMetrics {

    final LongAdder candidates = new LongAdder();
    final LongAdder scores = new LongAdder();
    final LongAdder joined = new LongAdder();
    final LongAdder clamped = new LongAdder();
    final LongAdder ignoredScores = new LongAdder();
    final LongAdder duplicateScores = new LongAdder();
    final LongAdder deadTimeout = new LongAdder();
    final LongAdder deadFailed = new LongAdder();
    final LongAdder deadInvalid = new LongAdder();
    final LongAdder deadDecode = new LongAdder();
    final LongAdder deadDuplicateCandidate = new LongAdder();
    final LongAdder deadOrphanScore = new LongAdder();
    private final DoubleAdder logRewardSum = new DoubleAdder();
    private final LongAdder logRewardCount = new LongAdder();
    private double lastSum;
    private long lastCount;

    /**
     * Registers these numbers as the joiner's meters: {@code ddpp_joiner_outcomes_total{outcome}} (one per settled
     * candidate or dropped score) and {@code ddpp_dead_letters_total{stage}}.
     */
    public void bind(org.ddpp.runtime.RoleMeters meters) {
        meters.counter("outcomes", joined::sum, "outcome", "joined");
        meters.counter("outcomes", deadTimeout::sum, "outcome", "timeout");
        meters.counter("outcomes", deadFailed::sum, "outcome", "failed");
        meters.counter("outcomes", deadInvalid::sum, "outcome", "invalid");
        meters.counter("outcomes", deadDecode::sum, "outcome", "decode");
        meters.counter("outcomes", deadDuplicateCandidate::sum, "outcome", "duplicate-candidate");
        meters.counter("outcomes", deadOrphanScore::sum, "outcome", "orphan-score");
        meters.counter("outcomes", duplicateScores::sum, "outcome", "duplicate-score");
        meters.counter("outcomes", ignoredScores::sum, "outcome", "ignored-score");
        meters.counter("clamped", clamped::sum);
        meters.deadLetters(deadTimeout::sum, "joiner:timeout");
        meters.deadLetters(deadFailed::sum, "joiner:failed");
        meters.deadLetters(deadInvalid::sum, "joiner:invalid");
        meters.deadLetters(deadDecode::sum, "joiner:decode");
        meters.deadLetters(deadDuplicateCandidate::sum, "joiner:duplicate-candidate");
        meters.deadLetters(deadOrphanScore::sum, "joiner:orphan-score");
    }

    void recordJoined(double logReward, boolean wasClamped) {
        joined.increment();
        if (wasClamped) {
            clamped.increment();
        }
        logRewardSum.add(logReward);
        logRewardCount.increment();
    }

    public long joined() {
        return joined.sum();
    }

    public long clamped() {
        return clamped.sum();
    }

    public long ignoredScores() {
        return ignoredScores.sum();
    }

    public long duplicateScores() {
        return duplicateScores.sum();
    }

    /** Dead letters written for candidates and scores, all reasons together. */
    public long deadLetters() {
        return deadTimeout.sum() + deadFailed.sum() + deadInvalid.sum() + deadDecode.sum()
                + deadDuplicateCandidate.sum() + deadOrphanScore.sum();
    }

    /** The figures for one {@code Metrics} record; the mean log reward is over the joins since the last call
     * (absent when there were none). */
    public synchronized Map<String, Double> snapshot() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("candidates_total", (double) candidates.sum());
        out.put("scores_total", (double) scores.sum());
        out.put("joined_total", (double) joined.sum());
        out.put("clamped_total", (double) clamped.sum());
        out.put("ignored_scores_total", (double) ignoredScores.sum());
        out.put("duplicate_scores_total", (double) duplicateScores.sum());
        out.put("dlq_total", (double) deadLetters());
        out.put("dlq_timeout_total", (double) deadTimeout.sum());
        out.put("dlq_failed_total", (double) deadFailed.sum());
        out.put("dlq_invalid_total", (double) deadInvalid.sum());
        out.put("dlq_decode_total", (double) deadDecode.sum());
        out.put("dlq_duplicate_candidate_total", (double) deadDuplicateCandidate.sum());
        out.put("dlq_orphan_score_total", (double) deadOrphanScore.sum());
        double sum = logRewardSum.sum();
        long count = logRewardCount.sum();
        if (count > lastCount) {
            out.put("mean_log_reward", (sum - lastSum) / (count - lastCount));
        }
        lastSum = sum;
        lastCount = count;
        return out;
    }
}

package org.ddpp.scorers.joiner;

import io.micrometer.core.instrument.Counter;
import org.ddpp.runtime.RoleMeters;

/**
 * The reward joiner's meters across its stream tasks, made once on its {@link RoleMeters}:
 * {@code ddpp_joiner_outcomes_total{outcome}} (one per settled candidate or dropped score),
 * {@code ddpp_dead_letters_total{stage}}, records read, clamped rewards and the distribution of the log rewards
 * written (the mean of the last 1,024, {@code ddpp_joiner_log_reward_mean}). Counts restart with the
 * process; after an aborted Streams transaction a record may be counted twice (the output itself is exactly
 * once). Prometheus scrapes these and the {@code ddpp.metrics} topic carries the same. Thread-safe.
 */
public final class JoinerMeters {

    final Counter candidates;
    final Counter scores;
    final Counter joined;
    final Counter clamped;
    final Counter ignoredScores;
    final Counter duplicateScores;
    final Counter lateScores;
    final DeadOutcome deadTimeout;
    final DeadOutcome deadFailed;
    final DeadOutcome deadInvalid;
    final DeadOutcome deadDecode;
    final DeadOutcome deadDuplicateCandidate;
    final DeadOutcome deadOrphanScore;
    final DeadOutcome deadState;
    final DeadOutcome deadRewardConfig;
    private final RoleMeters meters;
    /**
     * Candidates joined, by the reward-configuration version they were joined under ("0": the joiner's own scorers):
     * one counter per version, made once (a version's counter is looked up, not registered again, per record).
     */
    private final java.util.Map<Long, Counter> joinedByConfig = new java.util.concurrent.ConcurrentHashMap<>();
    /** The last log rewards written, for {@code ddpp_joiner_log_reward_mean} (Micrometer summaries drop negatives). */
    private final double[] recent = new double[RECENT];
    private long written;
    private static final int RECENT = 1024;

    public JoinerMeters(RoleMeters meters) {
        candidates = meters.counter("candidates");
        scores = meters.counter("scores");
        clamped = meters.counter("clamped");
        meters.gauge("log.reward.mean", this::recentMeanLogReward);
        joined = meters.counter("outcomes", "outcome", "joined");
        duplicateScores = meters.counter("outcomes", "outcome", "duplicate-score");
        lateScores = meters.counter("outcomes", "outcome", "late-score");
        ignoredScores = meters.counter("outcomes", "outcome", "ignored-score");
        deadTimeout = deadLetter(meters, "timeout");
        deadFailed = deadLetter(meters, "failed");
        deadInvalid = deadLetter(meters, "invalid");
        deadDecode = deadLetter(meters, "decode");
        deadDuplicateCandidate = deadLetter(meters, "duplicate-candidate");
        deadOrphanScore = deadLetter(meters, "orphan-score");
        deadRewardConfig = deadLetter(meters, "reward-config");
        this.meters = meters;
        deadState = new DeadOutcome(meters.counter("outcomes", "outcome", "corrupt-state"), meters.deadLetters("joiner:state"));
    }

    /** An outcome that is also a dead letter: it counts in both meters. */
    record DeadOutcome(Counter outcome, Counter deadLetter) {

        void increment() {
            outcome.increment();
            deadLetter.increment();
        }

        double count() {
            return outcome.count();
        }
    }

    private static DeadOutcome deadLetter(RoleMeters meters, String outcome) {
        return new DeadOutcome(meters.counter("outcomes", "outcome", outcome), meters.deadLetters("joiner:" + outcome));
    }

    void recordJoined(double logReward, boolean wasClamped, long configVersion) {
        joined.increment();
        joinedByConfig.computeIfAbsent(configVersion,
                v -> meters.counter("joined.by.config", "reward_config", Long.toString(v))).increment();
        if (wasClamped) {
            clamped.increment();
        }
        synchronized (recent) {
            recent[(int) (written++ % RECENT)] = logReward;
        }
    }

    /** Mean log reward of the last 1,024 candidates written (NaN before the first). */
    double recentMeanLogReward() {
        synchronized (recent) {
            int n = (int) Math.min(written, RECENT);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += recent[i];
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    /** Candidates joined and written to the rewards topic. */
    public long joined() {
        return (long) joined.count();
    }

    /** Dead letters written for candidates and scores, all reasons together. */
    public long deadLetters() {
        return (long) (deadTimeout.count() + deadFailed.count() + deadInvalid.count() + deadDecode.count()
                + deadDuplicateCandidate.count() + deadOrphanScore.count() + deadState.count() + deadRewardConfig.count());
    }

    /** Values of the joiner's own state that did not read, dead-lettered and dropped. */
    public long corruptState() {
        return (long) deadState.count();
    }
}

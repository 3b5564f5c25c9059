package org.ddpp.scorers.joiner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ddpp.schemas.avro.ScoreStatus;

/**
 * The joiner's state for one candidate id: the raw candidate record once it arrived, the required scores
 * received so far, and the wall-clock deadline after which the entry is settled by the punctuator. A
 * {@code done} entry holds nothing else: it is a de-duplication marker of joiners from before the
 * {@link SettledIndex}, still read from their state (and moved to the index at its deadline).
 *
 * @param deadline      wall-clock milliseconds when the entry expires
 * @param done          the candidate was settled (markers of earlier joiners only)
 * @param candidate     the candidate record as read, or null while it has not arrived
 * @param run           the candidate's run once it arrived (null before, and in state written by earlier joiners)
 * @param configVersion the reward-configuration version the candidate carries (0: the joiner's own scorers)
 * @param scores        scores received, at most one per scorer, in arrival order (before the candidate is known,
 *                      every scorer's; after, only those it requires)
 */
record PendingJoin(long deadline, boolean done, RawRecord candidate, String run, long configVersion, List<ReceivedScore> scores) {

    PendingJoin {
        scores = List.copyOf(scores);
    }

    PendingJoin(long deadline, boolean done, RawRecord candidate, List<ReceivedScore> scores) {
        this(deadline, done, candidate, null, 0L, scores);
    }

    /**
     * A record as read from its topic, kept so a dead letter can carry the original bytes and position.
     */
    record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}

    /**
     * One required scorer's score.
     *
     * @param logReward the log reward for OK scores, NaN otherwise (or when the scorer sent none)
     * @param reason    the scorer's reason for FAILED/INVALID, or empty
     */
    record ReceivedScore(String scorer, String version, ScoreStatus status, double logReward, String reason, RawRecord raw) {}

    static PendingJoin waitingFor(long deadline, RawRecord candidate) {
        return new PendingJoin(deadline, false, candidate, List.of());
    }

    static PendingJoin settled(long deadline) {
        return new PendingJoin(deadline, true, null, List.of());
    }

    static PendingJoin waitingFor(long deadline, RawRecord candidate, String run, long configVersion) {
        return new PendingJoin(deadline, false, candidate, run, configVersion, List.of());
    }

    PendingJoin withCandidate(RawRecord raw, String candidateRun, long version, long newDeadline) {
        return new PendingJoin(newDeadline, false, raw, candidateRun, version, scores);
    }

    PendingJoin withScore(ReceivedScore score) {
        List<ReceivedScore> more = new ArrayList<>(scores);
        more.add(score);
        return new PendingJoin(deadline, false, candidate, run, configVersion, more);
    }

    Optional<ReceivedScore> scoreOf(String scorer) {
        return scores.stream().filter(s -> s.scorer().equals(scorer)).findFirst();
    }
}

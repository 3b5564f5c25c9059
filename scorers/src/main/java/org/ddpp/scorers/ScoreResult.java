package org.ddpp.scorers;

import java.util.Objects;
import org.ddpp.schemas.avro.ScoreStatus;

/**
 * One scorer's verdict on one candidate: OK with {@code log R_k(x)} (which may be −∞ where R = 0), FAILED when the
 * scorer broke, INVALID when the candidate is not a valid object for it. Only OK carries a log reward.
 *
 * @param status    outcome
 * @param logReward log R_k(x) for OK, NaN otherwise
 * @param reason    why it is FAILED or INVALID; null for OK
 */
public record ScoreResult(ScoreStatus status, double logReward, String reason) {

    public ScoreResult {
        Objects.requireNonNull(status, "status");
        if (status != ScoreStatus.OK && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException(status + " needs a reason");
        }
    }

    public static ScoreResult ok(double logReward) {
        return new ScoreResult(ScoreStatus.OK, logReward, null);
    }

    public static ScoreResult failed(String reason) {
        return new ScoreResult(ScoreStatus.FAILED, Double.NaN, reason);
    }

    public static ScoreResult invalid(String reason) {
        return new ScoreResult(ScoreStatus.INVALID, Double.NaN, reason);
    }

    /** True for OK with a log reward the joiner can use: not NaN and not +∞ (−∞ is a legitimate R = 0). */
    public boolean usable() {
        return status == ScoreStatus.OK && !Double.isNaN(logReward) && logReward != Double.POSITIVE_INFINITY;
    }
}

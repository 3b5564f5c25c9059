package org.ddpp.scorers;

import org.ddpp.schemas.Topics;

/**
 * The topics the scorer service and the joiner read and write. Production uses {@link #DEFAULT} (the names in
 * {@link Topics}); tests on a shared broker use {@link #withSuffix} to stay isolated.
 */
public record TopicNames(String candidates, String scores, String rewards, String dlq, String metrics) {

    /** The project's topics. */
    public static final TopicNames DEFAULT = new TopicNames(Topics.CANDIDATES.name(), Topics.SCORES.name(),
            Topics.REWARDS.name(), Topics.DLQ.name(), Topics.METRICS.name());

    /** Every name with {@code suffix} appended, e.g. {@code ddpp.candidates-3f2a}. */
    public TopicNames withSuffix(String suffix) {
        return new TopicNames(candidates + suffix, scores + suffix, rewards + suffix, dlq + suffix, metrics + suffix);
    }
}

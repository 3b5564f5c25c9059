package org.ddpp.runtime;

import java.util.List;
import java.util.Objects;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;

/**
 * The names of the topics and consumer groups of one pipeline, defined once for every role. Production uses
 * {@link #DEFAULT} (the names in {@link Topics}); isolated runs on a shared cluster (tests, side-by-side
 * deployments) use {@link #isolated} so that every topic <em>and</em> every group gets the same prefix and suffix.
 * The registry's storage topic {@code _schemas} is never renamed: one registry serves every pipeline.
 *
 * <p>The trainer's group name is a contract between the trainer and the samplers' flow control (samplers read the
 * trainer's committed offsets on the rewards topic), so both take it from {@link #trainerGroup(String)}.
 */
public record TopicNames(String prefix, String suffix) {

    /** The project's topics and groups, unprefixed. */
    public static final TopicNames DEFAULT = new TopicNames("", "");

    private static final String NAME = "[A-Za-z0-9._-]*";

    public TopicNames {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(suffix, "suffix");
        if (!prefix.matches(NAME) || !suffix.matches(NAME)) {
            throw new IllegalArgumentException("topic prefix and suffix may hold letters, digits, '.', '_' and '-' only, got '"
                    + prefix + "' and '" + suffix + "'");
        }
    }

    /** Names with {@code prefix} before and {@code suffix} after every topic and group name. */
    public static TopicNames isolated(String prefix, String suffix) {
        return new TopicNames(prefix, suffix);
    }

    /** True for the project's own, unprefixed names. */
    public boolean isDefault() {
        return prefix.isEmpty() && suffix.isEmpty();
    }

    /** {@code prefix + base + suffix}. */
    public String name(String base) {
        return prefix + base + suffix;
    }

    /** The renamed topic of {@code spec} (the registry's storage topic keeps its name). */
    public String of(TopicSpec<?, ?> spec) {
        return spec == Topics.SCHEMAS ? spec.name() : name(spec.name());
    }

    public String candidates() {
        return of(Topics.CANDIDATES);
    }

    public String scores() {
        return of(Topics.SCORES);
    }

    public String rewards() {
        return of(Topics.REWARDS);
    }

    public String policy() {
        return of(Topics.POLICY);
    }

    public String metrics() {
        return of(Topics.METRICS);
    }

    public String dlq() {
        return of(Topics.DLQ);
    }

    public String rewardConfig() {
        return of(Topics.REWARD_CONFIG);
    }

    /** Every topic of {@link Topics#all()} under these names, with its partitions and cleanup policy. */
    public List<TopicSpec<?, ?>> specs() {
        return Topics.all().stream().<TopicSpec<?, ?>>map(this::renamed).toList();
    }

    private <K, V> TopicSpec<K, V> renamed(TopicSpec<K, V> t) {
        return new TopicSpec<>(of(t), t.partitions(), t.compacted(), t.keyType(), t.valueType(), t.doc());
    }

    /** The trainer's consumer group on the rewards topic: {@code ddpp-trainer-<run>} (renamed like the topics). */
    public String trainerGroup(String run) {
        return name("ddpp-trainer-" + run);
    }

    /** The consumer group shared by every instance of one scorer: {@code ddpp-scorer-<name>} (renamed like the topics). */
    public String scorerGroup(String scorer) {
        return name("ddpp-scorer-" + scorer);
    }

    /** The reward joiner's Kafka Streams application id for {@code base} (default {@code ddpp-joiner}). */
    public String joinerApplicationId(String base) {
        return name(base);
    }
}

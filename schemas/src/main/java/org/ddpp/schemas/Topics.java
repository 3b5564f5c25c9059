package org.ddpp.schemas;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;

/**
 * The typed registry of every topic ddpp-stream uses (docs/architecture.md, "Topics and records"). Roles address topics through these
 * constants, never by string, and {@link #create} makes them all with the right partitions and cleanup policy.
 */
public final class Topics {

    /** Sampled sequences for the scorers; key: candidate id. */
    public static final TopicSpec<String, Candidate> CANDIDATES = new TopicSpec<>(
            "ddpp.candidates", 4, false, String.class, Candidate.class, "sampled candidates, key = candidate id");
    /** One scorer's verdict per candidate; key: candidate id. */
    public static final TopicSpec<String, Score> SCORES = new TopicSpec<>(
            "ddpp.scores", 4, false, String.class, Score.class, "scores, key = candidate id");
    /** Candidates with their combined log reward, read by the trainer; key: candidate id. */
    public static final TopicSpec<String, ScoredCandidate> REWARDS = new TopicSpec<>(
            "ddpp.rewards", 4, false, String.class, ScoredCandidate.class, "scored candidates, key = candidate id");
    /** Newest policy version per run (compacted); key: run id. */
    public static final TopicSpec<String, PolicyUpdate> POLICY = new TopicSpec<>(
            "ddpp.policy", 1, true, String.class, PolicyUpdate.class, "policy versions, key = run id, compacted");
    /** Figures of every role for the dashboard; key: role/run. */
    public static final TopicSpec<String, Metrics> METRICS = new TopicSpec<>(
            "ddpp.metrics", 1, false, String.class, Metrics.class, "metrics snapshots, key = role/run");
    /** Records some stage could not use; key: the original key bytes. */
    public static final TopicSpec<byte[], DeadLetter> DLQ = new TopicSpec<>(
            "ddpp.dlq", 1, false, byte[].class, DeadLetter.class, "dead letters, key = original key");
    /** Storage log of the embedded schema registry (compacted, one partition so order is total). */
    public static final TopicSpec<String, String> SCHEMAS = new TopicSpec<>(
            "_schemas", 1, true, String.class, String.class, "schema registry log, compacted");

    private static final List<TopicSpec<?, ?>> ALL = List.of(CANDIDATES, SCORES, REWARDS, POLICY, METRICS, DLQ, SCHEMAS);

    private Topics() {}

    /** Every topic, in a stable order. */
    public static List<TopicSpec<?, ?>> all() {
        return ALL;
    }

    /** The topic called {@code name}; {@link IllegalArgumentException} when there is none. */
    public static TopicSpec<?, ?> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic '" + name + "'"));
    }

    /**
     * Creates every topic in {@code topics} that does not exist yet; existing ones are left as they are.
     * Returns the names it created.
     */
    public static Set<String> create(Admin admin, List<TopicSpec<?, ?>> topics, Replication replication) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<TopicSpec<?, ?>> absent = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (absent.isEmpty()) {
                return Set.of();
            }
            Replication resolved = replication.resolve(admin);
            List<NewTopic> missing = absent.stream().map(t -> t.newTopic(resolved)).toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
            return missing.stream().map(NewTopic::name).collect(Collectors.toSet());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list or create topics: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Registers the value schema of every Avro topic in {@code topics} (where it is not registered yet), so that
     * clients which only read the latest schema — external scorers written in Python or JavaScript — find it
     * before any ddpp role has written a record.
     */
    public static void registerValueSchemas(org.ddpp.schemas.serde.CachedSchemaRegistry registry, List<TopicSpec<?, ?>> topics) {
        for (TopicSpec<?, ?> t : topics) {
            if (org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(t.valueType())) {
                registry.idFor(t.valueSubject(), org.apache.avro.specific.SpecificData.get().getSchema(t.valueType()), true);
            }
        }
    }
}

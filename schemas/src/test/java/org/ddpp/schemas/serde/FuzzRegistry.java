package org.ddpp.schemas.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.Metrics;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;

/**
 * An in-memory registry holding the six value schemas under fixed ids, so the committed seed records (which carry
 * the id in their header) mean the same thing in every run.
 */
final class FuzzRegistry {

    static final int CANDIDATE = 1;
    static final int SCORE = 2;
    static final int SCORED_CANDIDATE = 3;
    static final int POLICY_UPDATE = 4;
    static final int METRICS = 5;
    static final int DEAD_LETTER = 6;

    private FuzzRegistry() {}

    static CachedSchemaRegistry create() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        List<Object[]> order = List.of(
                new Object[] {Topics.CANDIDATES.valueSubject(), Candidate.getClassSchema(), CANDIDATE},
                new Object[] {Topics.SCORES.valueSubject(), Score.getClassSchema(), SCORE},
                new Object[] {Topics.REWARDS.valueSubject(), ScoredCandidate.getClassSchema(), SCORED_CANDIDATE},
                new Object[] {Topics.POLICY.valueSubject(), PolicyUpdate.getClassSchema(), POLICY_UPDATE},
                new Object[] {Topics.METRICS.valueSubject(), Metrics.getClassSchema(), METRICS},
                new Object[] {Topics.DLQ.valueSubject(), DeadLetter.getClassSchema(), DEAD_LETTER});
        for (Object[] entry : order) {
            int id = registry.register((String) entry[0], ((Schema) entry[1]).toString());
            if (id != (int) entry[2]) {
                throw new IllegalStateException(entry[0] + " got id " + id + ", expected " + entry[2]);
            }
        }
        return new CachedSchemaRegistry(registry);
    }
}

package org.ddpp.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.ddpp.schemas.registry.CompatibilityLevel;

/**
 * Decides whether a new Avro schema may join a subject under a compatibility level, with Avro's own
 * {@link SchemaCompatibility}; returns readable messages for each incompatibility so the 409 answer says why.
 */
final class CompatibilityChecker {

    private CompatibilityChecker() {}

    /**
     * Incompatibilities of {@code candidate} against {@code previous} (oldest first) under {@code level};
     * empty when compatible.
     */
    static List<String> check(CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return messages;
        }
        List<Schema> against = level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        for (Schema old : against) {
            if (level.checksBackward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "new schema cannot read data written with", messages);
            }
            if (level.checksForward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "data written with the new schema cannot be read by", messages);
            }
        }
        return messages;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> out) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        result.getResult().getIncompatibilities().forEach(i -> out.add(direction + " an earlier version: "
                + i.getType() + " at " + i.getLocation() + ": " + i.getMessage()));
        if (out.isEmpty()) {
            out.add(direction + " an earlier version: " + result.getDescription());
        }
    }
}

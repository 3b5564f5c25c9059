package org.ddpp.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of one subject as kept in the {@code _schemas} log and in memory: the global id, the canonical
 * schema text, its type, references (kept verbatim) and whether the version was soft-deleted.
 */
record StoredSchema(String subject, int version, int id, String schema, String schemaType, JsonNode references,
        boolean deleted) {

    StoredSchema asDeleted() {
        return new StoredSchema(subject, version, id, schema, schemaType, references, true);
    }
}

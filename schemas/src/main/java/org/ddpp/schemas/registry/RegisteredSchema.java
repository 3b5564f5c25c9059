package org.ddpp.schemas.registry;

/**
 * One schema as the registry knows it under a subject: global id, per-subject version and schema text.
 * Returned by look-ups so callers never parse registry JSON themselves.
 */
public record RegisteredSchema(String subject, int version, int id, String schema, String schemaType) {

    /** The registry's name for Avro, the default schema type. */
    public static final String AVRO = "AVRO";
}

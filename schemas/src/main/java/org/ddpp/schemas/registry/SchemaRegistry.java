package org.ddpp.schemas.registry;

/**
 * The part of a schema registry that serdes need: register or look up a writer schema, fetch a schema by its
 * global id. {@link SchemaRegistryClient} speaks it over HTTP to any Confluent-compatible registry;
 * {@link InMemorySchemaRegistry} keeps it in memory for unit tests that run without a registry.
 */
public interface SchemaRegistry {

    /** Registers {@code schema} (Avro JSON text) under {@code subject}, or finds it; returns its global id. */
    int register(String subject, String schema);

    /** Finds an already registered {@code schema} under {@code subject}; fails with 40401/40403 when absent. */
    RegisteredSchema lookup(String subject, String schema);

    /** The schema text with global id {@code id}; fails with 40403 when unknown. */
    String schemaById(int id);

    /** The newest version under {@code subject}; fails with 40401 when the subject is unknown. */
    RegisteredSchema latest(String subject);
}

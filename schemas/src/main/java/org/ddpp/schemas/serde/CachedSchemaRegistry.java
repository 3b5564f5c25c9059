package org.ddpp.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.ddpp.schemas.registry.RegisteredSchema;
import org.ddpp.schemas.registry.SchemaRegistry;

/**
 * Remembers what the registry said, so serdes ask it once per schema and not once per record: ids by
 * (subject, schema) and parsed schemas by id. Ids never change meaning in a registry, so entries never expire.
 * Thread-safe.
 */
public final class CachedSchemaRegistry {

    private record SubjectSchema(String subject, Schema schema) {}

    private final SchemaRegistry registry;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public CachedSchemaRegistry(SchemaRegistry registry) {
        this.registry = registry;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /** The global id of {@code schema} under {@code subject}, registering it first when {@code autoRegister}. */
    public int idFor(String subject, Schema schema, boolean autoRegister) {
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = autoRegister
                    ? registry.register(subject, schema.toString())
                    : registry.lookup(subject, schema.toString()).id();
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The newest schema under {@code subject} (asked every time; use for start-up checks, not per record). */
    public RegisteredSchema latest(String subject) {
        RegisteredSchema latest = registry.latest(subject);
        schemas.computeIfAbsent(latest.id(), id -> new Schema.Parser().parse(latest.schema()));
        return latest;
    }

    /** The parsed schema with global id {@code id}. */
    public Schema schemaById(int id) {
        return schemas.computeIfAbsent(id, key -> new Schema.Parser().parse(registry.schemaById(key)));
    }
}

package org.ddpp.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for unit tests (e.g. {@code TopologyTestDriver}) that have no registry
 * server. Ids and versions follow the registry's rules (same schema, same global id; versions count per subject);
 * compatibility is not checked.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();

    @Override
    public synchronized int register(String subject, String schema) {
        String canonical = new Schema.Parser().parse(schema).toString();
        int id = idsByCanonical.computeIfAbsent(canonical, c -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, c);
            return next;
        });
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, String schema) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        Integer id = idsByCanonical.get(new Schema.Parser().parse(schema).toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return new RegisteredSchema(subject, versions.indexOf(id) + 1, id, schemasById.get(id), RegisteredSchema.AVRO);
    }

    @Override
    public synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), id, schemasById.get(id), RegisteredSchema.AVRO);
    }
}

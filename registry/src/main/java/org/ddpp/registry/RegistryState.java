package org.ddpp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ddpp.schemas.registry.CompatibilityLevel;

/**
 * The registry's state in memory, rebuilt by replaying the {@code _schemas} log: schema versions per subject,
 * schemas by global id, and compatibility levels. It also defines the log's record format (JSON key and value;
 * a null value deletes the key), so writing and replaying can never disagree. Thread-safe.
 */
final class RegistryState {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, TreeMap<Integer, StoredSchema>> subjects = new HashMap<>();
    private final Map<Integer, StoredSchema> byId = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;

    // ---- the log's record format -------------------------------------------------------------------------

    static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version).toString();
    }

    static String schemaValue(StoredSchema s) {
        ObjectNode node = JSON.createObjectNode().put("subject", s.subject()).put("version", s.version()).put("id", s.id())
                .put("schema", s.schema()).put("schemaType", s.schemaType()).put("deleted", s.deleted());
        if (s.references() != null) {
            node.set("references", s.references());
        }
        return node.toString();
    }

    static String configKey(String subjectOrNull) {
        ObjectNode node = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subjectOrNull == null) {
            node.putNull("subject");
        } else {
            node.put("subject", subjectOrNull);
        }
        return node.toString();
    }

    static String configValue(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    /** Applies one record of the log. Unknown key types are skipped (a newer writer may add some). */
    synchronized void apply(String key, String value) {
        JsonNode k = parse(key);
        switch (k.path("keytype").asText()) {
            case "SCHEMA" -> applySchema(k.path("subject").asText(), k.path("version").asInt(), value);
            case "CONFIG" -> {
                String subject = k.path("subject").isNull() ? null : k.path("subject").asText();
                CompatibilityLevel level = value == null ? null : CompatibilityLevel.parse(parse(value).path("compatibilityLevel").asText());
                if (subject == null) {
                    globalLevel = level == null ? CompatibilityLevel.DEFAULT : level;
                } else if (level == null) {
                    subjectLevels.remove(subject);
                } else {
                    subjectLevels.put(subject, level);
                }
            }
            default -> { }
        }
    }

    private void applySchema(String subject, int version, String value) {
        if (value == null) {
            TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
            if (versions != null) {
                versions.remove(version);
                if (versions.isEmpty()) {
                    subjects.remove(subject);
                }
            }
            return;
        }
        JsonNode v = parse(value);
        JsonNode references = v.path("references");
        StoredSchema stored = new StoredSchema(subject, version, v.path("id").asInt(), v.path("schema").asText(),
                v.path("schemaType").asText("AVRO"), references.isMissingNode() || references.isNull() ? null : references,
                v.path("deleted").asBoolean(false));
        subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, stored);
        byId.putIfAbsent(stored.id(), stored);
        idByCanonical.putIfAbsent(canonicalKey(stored.schemaType(), stored.schema()), stored.id());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt _schemas record: " + json, e);
        }
    }

    static String canonicalKey(String schemaType, String canonicalSchema) {
        return schemaType + ":" + canonicalSchema;
    }

    // ---- queries -----------------------------------------------------------------------------------------

    synchronized Optional<StoredSchema> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized Optional<Integer> idOf(String schemaType, String canonicalSchema) {
        return Optional.ofNullable(idByCanonical.get(canonicalKey(schemaType, canonicalSchema)));
    }

    synchronized int maxId() {
        return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Versions of a subject, oldest first, with or without soft-deleted ones. */
    synchronized List<StoredSchema> versions(String subject, boolean includeDeleted) {
        List<StoredSchema> out = new ArrayList<>();
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        if (versions != null) {
            versions.values().stream().filter(s -> includeDeleted || !s.deleted()).forEach(out::add);
        }
        return out;
    }

    /** The highest version number ever used under a subject (deleted ones count), 0 when none. */
    synchronized int maxVersion(String subject) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.keySet().stream().filter(s -> !versions(s, includeDeleted).isEmpty()).sorted().toList();
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }
}

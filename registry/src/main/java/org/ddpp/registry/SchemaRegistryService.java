package org.ddpp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.ddpp.schemas.registry.CompatibilityLevel;

/**
 * What the registry does, free of HTTP: registers schemas under subjects with global ids that never change
 * meaning, checks compatibility, serves look-ups and keeps compatibility levels. State lives in a
 * {@link RegistryState} fed by the {@link SchemaLog}; every change is written to the log first. Writes are
 * serialised within an instance; run one writing instance per {@code _schemas} topic.
 */
public final class SchemaRegistryService {

    static final String AVRO = "AVRO";

    private final RegistryState state;
    private final SchemaLog log;
    private final Object writeLock = new Object();

    SchemaRegistryService(RegistryState state, SchemaLog log) {
        this.state = state;
        this.log = log;
    }

    /** A schema to register or look up, as sent by a client. */
    record SchemaRequest(String schema, String schemaType, JsonNode references) {
        String type() {
            return schemaType == null || schemaType.isBlank() ? AVRO : schemaType.toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** Registers a schema under a subject (or finds it there); returns the stored version. */
    StoredSchema register(String subject, SchemaRequest request) {
        String canonical = canonical(request);
        synchronized (writeLock) {
            log.catchUp();
            List<StoredSchema> live = state.versions(subject, false);
            for (StoredSchema s : live) {
                if (s.schemaType().equals(request.type()) && s.schema().equals(canonical)) {
                    return s;
                }
            }
            if (AVRO.equals(request.type())) {
                List<Schema> previous = live.stream().filter(s -> AVRO.equals(s.schemaType())).map(s -> parse(s.schema())).toList();
                List<String> problems = CompatibilityChecker.check(level(subject), parse(canonical), previous);
                if (!problems.isEmpty()) {
                    throw new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                            + subject + "\", details: " + problems);
                }
            }
            int id = state.idOf(request.type(), canonical).orElseGet(() -> state.maxId() + 1);
            StoredSchema stored = new StoredSchema(subject, state.maxVersion(subject) + 1, id, canonical, request.type(),
                    request.references() == null || request.references().isEmpty() ? null : request.references(), false);
            log.append(RegistryState.schemaKey(subject, stored.version()), RegistryState.schemaValue(stored));
            return stored;
        }
    }

    /**
     * Runs a read; when it answers "not found", catches up with the log once and asks again, so a record written
     * by another instance a moment ago is found.
     */
    private <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RegistryError e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            log.catchUp();
            return query.get();
        }
    }

    /** The live version of {@code subject} holding this schema. */
    StoredSchema lookup(String subject, SchemaRequest request) {
        return read(() -> lookupNow(subject, request));
    }

    private StoredSchema lookupNow(String subject, SchemaRequest request) {
        List<StoredSchema> live = state.versions(subject, false);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        String canonical = canonical(request);
        return live.stream().filter(s -> s.schemaType().equals(request.type()) && s.schema().equals(canonical))
                .findFirst().orElseThrow(() -> RegistryError.schemaNotFound("not found under subject '" + subject + "'"));
    }

    StoredSchema byId(int id) {
        return read(() -> state.byId(id).orElseThrow(() -> RegistryError.schemaNotFound(String.valueOf(id))));
    }

    List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(StoredSchema::version).toList();
    }

    /** One version: a number, {@code latest} or {@code -1}. */
    StoredSchema version(String subject, String version, boolean includeDeleted) {
        return read(() -> versionNow(subject, version, includeDeleted));
    }

    private StoredSchema versionNow(String subject, String version, boolean includeDeleted) {
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        int wanted = parseVersion(version);
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(s -> s.version() == wanted).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, wanted));
    }

    /** Soft-deletes every live version, or permanently removes soft-deleted ones; returns the versions. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        synchronized (writeLock) {
            log.catchUp();
            List<StoredSchema> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            if (permanent) {
                if (all.stream().anyMatch(s -> !s.deleted())) {
                    throw new RegistryError(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
                }
                all.forEach(s -> log.append(RegistryState.schemaKey(subject, s.version()), null));
                return all.stream().map(StoredSchema::version).toList();
            }
            List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
            if (live.isEmpty()) {
                throw new RegistryError(404, 40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
            }
            live.forEach(s -> log.append(RegistryState.schemaKey(subject, s.version()), RegistryState.schemaValue(s.asDeleted())));
            return live.stream().map(StoredSchema::version).toList();
        }
    }

    /** Soft-deletes (or, once soft-deleted, permanently deletes) one version; returns its number. */
    int deleteVersion(String subject, String version, boolean permanent) {
        synchronized (writeLock) {
            log.catchUp();
            StoredSchema target = versionNow(subject, version, permanent);
            if (permanent) {
                if (!target.deleted()) {
                    throw new RegistryError(404, 40407, "Subject '" + subject + "' Version " + target.version()
                            + " was not deleted first before being permanently deleted");
                }
                log.append(RegistryState.schemaKey(subject, target.version()), null);
            } else {
                log.append(RegistryState.schemaKey(subject, target.version()), RegistryState.schemaValue(target.asDeleted()));
            }
            return target.version();
        }
    }

    /** Incompatibilities of a schema against a version ({@code latest} or a number) of a subject; empty = fine. */
    List<String> compatibility(String subject, String version, SchemaRequest request) {
        String canonical = canonical(request);
        List<StoredSchema> live = state.versions(subject, false);
        if (live.isEmpty() || !AVRO.equals(request.type())) {
            return List.of();
        }
        CompatibilityLevel level = level(subject);
        List<Schema> against;
        if (parseVersion(version) == -1 && level.transitive()) {
            against = live.stream().map(s -> parse(s.schema())).toList();
        } else {
            against = List.of(parse(version(subject, version, false).schema()));
        }
        return CompatibilityChecker.check(level, parse(canonical), against);
    }

    CompatibilityLevel level(String subject) {
        return state.subjectLevel(subject).orElse(state.globalLevel());
    }

    CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return state.subjectLevel(subject);
    }

    /** Sets the global level ({@code subject} null) or a subject's own. */
    void setLevel(String subject, CompatibilityLevel level) {
        synchronized (writeLock) {
            log.append(RegistryState.configKey(subject), RegistryState.configValue(level));
        }
    }

    /** Removes a subject's own level; returns the level it had. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        synchronized (writeLock) {
            CompatibilityLevel old = state.subjectLevel(subject).orElseThrow(() -> new RegistryError(404, 40408,
                    "Subject '" + subject + "' does not have subject-level compatibility configured"));
            log.append(RegistryState.configKey(subject), null);
            return old;
        }
    }

    private static int parseVersion(String version) {
        if ("latest".equalsIgnoreCase(version) || "-1".equals(version)) {
            return -1;
        }
        try {
            int v = Integer.parseInt(version);
            if (v < 1) {
                throw RegistryError.invalidVersion(version);
            }
            return v;
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(version);
        }
    }

    /** The form schemas are compared and stored in: Avro's own normalised JSON; other types verbatim. */
    private static String canonical(SchemaRequest request) {
        if (request.schema() == null || request.schema().isBlank()) {
            throw RegistryError.invalidSchema("the request has no schema");
        }
        return AVRO.equals(request.type()) ? parse(request.schema()).toString() : request.schema();
    }

    private static Schema parse(String schema) {
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException | NullPointerException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }
}

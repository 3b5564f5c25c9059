package org.ddpp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import java.io.IOException;
import java.util.List;
import org.ddpp.registry.SchemaRegistryService.SchemaRequest;
import org.ddpp.schemas.registry.CompatibilityLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent-compatible REST surface of the embedded registry (docs/architecture.md, "The schema registry"). It parses bodies
 * itself so that any of the registry's content types is accepted and unknown JSON fields are ignored; unknown
 * query parameters are ignored by construction. Answers use {@code application/vnd.schemaregistry.v1+json} and
 * errors the {@code {"error_code","message"}} form.
 */
@Controller
@Requires(beans = SchemaRegistryService.class)
@Consumes({RegistryController.V1_JSON, "application/vnd.schemaregistry+json", "application/json",
        "application/octet-stream", "text/plain"})
@Produces(RegistryController.V1_JSON)
public final class RegistryController {

    /** The registry's media type. */
    public static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryController.class);

    private final SchemaRegistryService service;

    public RegistryController(SchemaRegistryService service) {
        this.service = service;
    }

    @Get("/")
    HttpResponse<String> root() {
        return ok(RegistryState.JSON.createObjectNode());
    }

    @Get("/schemas/types")
    HttpResponse<String> types() {
        return ok(RegistryState.JSON.createArrayNode().add("AVRO").add("JSON").add("PROTOBUF"));
    }

    @Get("/schemas/ids/{id}")
    HttpResponse<String> schemaById(@PathVariable int id) {
        StoredSchema s = service.byId(id);
        ObjectNode node = RegistryState.JSON.createObjectNode().put("schema", s.schema());
        describeType(s, node);
        return ok(node);
    }

    @Get("/schemas/ids/{id}/schema")
    HttpResponse<String> rawSchemaById(@PathVariable int id) {
        return HttpResponse.ok(service.byId(id).schema()).contentType(V1_JSON);
    }

    @Get("/subjects")
    HttpResponse<String> subjects(@QueryValue(defaultValue = "false") boolean deleted) {
        ArrayNode out = RegistryState.JSON.createArrayNode();
        service.subjects(deleted).forEach(out::add);
        return ok(out);
    }

    @Get("/subjects/{subject}/versions")
    HttpResponse<String> versions(@PathVariable String subject, @QueryValue(defaultValue = "false") boolean deleted) {
        return ok(ints(service.versions(subject, deleted)));
    }

    @Post("/subjects/{subject}/versions")
    HttpResponse<String> register(@PathVariable String subject, @Body @Nullable String body) {
        StoredSchema s = service.register(subject, schemaRequest(body));
        return ok(RegistryState.JSON.createObjectNode().put("id", s.id()));
    }

    @Post("/subjects/{subject}")
    @ReadRequest
    HttpResponse<String> lookup(@PathVariable String subject, @Body @Nullable String body) {
        return ok(describe(service.lookup(subject, schemaRequest(body))));
    }

    @Get("/subjects/{subject}/versions/{version}")
    HttpResponse<String> version(@PathVariable String subject, @PathVariable String version,
            @QueryValue(defaultValue = "false") boolean deleted) {
        return ok(describe(service.version(subject, version, deleted)));
    }

    @Get("/subjects/{subject}/versions/{version}/schema")
    HttpResponse<String> rawSchema(@PathVariable String subject, @PathVariable String version) {
        return HttpResponse.ok(service.version(subject, version, false).schema()).contentType(V1_JSON);
    }

    @Delete("/subjects/{subject}")
    HttpResponse<String> deleteSubject(@PathVariable String subject, @QueryValue(defaultValue = "false") boolean permanent) {
        return ok(ints(service.deleteSubject(subject, permanent)));
    }

    @Delete("/subjects/{subject}/versions/{version}")
    HttpResponse<String> deleteVersion(@PathVariable String subject, @PathVariable String version,
            @QueryValue(defaultValue = "false") boolean permanent) {
        return HttpResponse.ok(String.valueOf(service.deleteVersion(subject, version, permanent))).contentType(V1_JSON);
    }

    @Post("/compatibility/subjects/{subject}/versions/{version}")
    @ReadRequest
    HttpResponse<String> compatibility(@PathVariable String subject, @PathVariable String version,
            @QueryValue(defaultValue = "false") boolean verbose, @Body @Nullable String body) {
        return compatibilityAnswer(service.compatibility(subject, version, schemaRequest(body)), verbose);
    }

    @Post("/compatibility/subjects/{subject}/versions")
    @ReadRequest
    HttpResponse<String> compatibilityAll(@PathVariable String subject,
            @QueryValue(defaultValue = "false") boolean verbose, @Body @Nullable String body) {
        return compatibilityAnswer(service.compatibility(subject, "latest", schemaRequest(body)), verbose);
    }

    @Get("/config")
    HttpResponse<String> globalConfig() {
        return ok(RegistryState.JSON.createObjectNode().put("compatibilityLevel", service.globalLevel().name()));
    }

    @Put("/config")
    HttpResponse<String> setGlobalConfig(@Body @Nullable String body) {
        CompatibilityLevel level = level(body);
        service.setLevel(null, level);
        return ok(RegistryState.JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Get("/config/{subject}")
    HttpResponse<String> subjectConfig(@PathVariable String subject,
            @QueryValue(defaultValue = "false") boolean defaultToGlobal) {
        CompatibilityLevel level = service.subjectLevel(subject).orElseGet(() -> {
            if (defaultToGlobal) {
                return service.globalLevel();
            }
            throw new RegistryError(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
        });
        return ok(RegistryState.JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    @Put("/config/{subject}")
    HttpResponse<String> setSubjectConfig(@PathVariable String subject, @Body @Nullable String body) {
        CompatibilityLevel level = level(body);
        service.setLevel(subject, level);
        return ok(RegistryState.JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Delete("/config/{subject}")
    HttpResponse<String> deleteSubjectConfig(@PathVariable String subject) {
        CompatibilityLevel old = service.deleteSubjectLevel(subject);
        return ok(RegistryState.JSON.createObjectNode().put("compatibilityLevel", old.name()));
    }

    /** Liveness for orchestration (not part of the Confluent API). */
    @Get("/health")
    HttpResponse<String> health() {
        return ok(RegistryState.JSON.createObjectNode().put("status", "UP"));
    }

    @Get("/mode")
    HttpResponse<String> mode() {
        return ok(RegistryState.JSON.createObjectNode().put("mode", "READWRITE"));
    }

    @Get("/mode/{subject}")
    HttpResponse<String> subjectMode(@PathVariable String subject) {
        return mode();
    }

    // ---- errors ------------------------------------------------------------------------------------------

    @Error(global = true)
    HttpResponse<String> registryError(HttpRequest<?> request, RegistryError error) {
        if (error.httpStatus() >= 500) {
            LOG.error("{} {} failed: {}", request.getMethod(), request.getPath(), error.getMessage());
        }
        return error(error.httpStatus(), error.errorCode(), error.getMessage());
    }

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<String> notFound(HttpRequest<?> request) {
        return error(404, 404, "HTTP 404 Not Found");
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    HttpResponse<String> notAllowed(HttpRequest<?> request) {
        return error(405, 405, "HTTP 405 Method Not Allowed");
    }

    @Error(global = true)
    HttpResponse<String> unexpected(HttpRequest<?> request, Throwable error) {
        if (error instanceof ConversionErrorException || error instanceof UnsatisfiedRouteException) {
            return error(422, 422, "Unprocessable request: " + error.getMessage());
        }
        if (error instanceof HttpStatusException status && status.getStatus().getCode() < 500) {
            return error(status.getStatus().getCode(), status.getStatus().getCode(), String.valueOf(status.getMessage()));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getPath(), error);
        return error(500, 50001, "Internal error: " + error);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static HttpResponse<String> compatibilityAnswer(List<String> messages, boolean verbose) {
        ObjectNode node = RegistryState.JSON.createObjectNode().put("is_compatible", messages.isEmpty());
        if (verbose || !messages.isEmpty()) {
            ArrayNode list = node.putArray("messages");
            messages.forEach(list::add);
        }
        return ok(node);
    }

    private static ObjectNode describe(StoredSchema s) {
        ObjectNode node = RegistryState.JSON.createObjectNode().put("subject", s.subject()).put("version", s.version())
                .put("id", s.id());
        describeType(s, node);
        node.put("schema", s.schema());
        return node;
    }

    private static void describeType(StoredSchema s, ObjectNode node) {
        if (!SchemaRegistryService.AVRO.equals(s.schemaType())) {
            node.put("schemaType", s.schemaType());
        }
        if (s.references() != null) {
            node.set("references", s.references());
        }
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode out = RegistryState.JSON.createArrayNode();
        values.forEach(out::add);
        return out;
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            throw new RegistryError(422, 42201, "Invalid schema: the request has no body");
        }
        try {
            return RegistryState.JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryError(400, 400, "Unrecognized JSON body: " + e.getMessage());
        }
    }

    private static SchemaRequest schemaRequest(String body) {
        JsonNode node = json(body);
        JsonNode schema = node.get("schema");
        JsonNode type = node.get("schemaType");
        return new SchemaRequest(schema == null || schema.isNull() ? null : schema.asText(),
                type == null || type.isNull() ? null : type.asText(), node.get("references"));
    }

    private static CompatibilityLevel level(String body) {
        JsonNode node = json(body);
        String name = node.path("compatibility").asText(node.path("compatibilityLevel").asText(null));
        try {
            return CompatibilityLevel.parse(name);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward,"
                    + " full, backward_transitive, forward_transitive, and full_transitive");
        }
    }

    private static HttpResponse<String> ok(JsonNode node) {
        return HttpResponse.ok(node.toString()).contentType(V1_JSON);
    }

    /** An error answer in the registry's {@code {"error_code","message"}} form (also used by {@link BasicAuthFilter}). */
    static MutableHttpResponse<String> error(int status, int code, String message) {
        String body = RegistryState.JSON.createObjectNode().put("error_code", code).put("message", message).toString();
        return HttpResponse.<String>status(HttpStatus.valueOf(status)).body(body).contentType(V1_JSON);
    }
}

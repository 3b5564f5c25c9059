package org.ddpp.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP client for a Confluent-compatible schema registry (the REST subset in docs/architecture.md, "The schema registry"), built on
 * {@code java.net.http} so it needs no Confluent jars. It speaks only the documented protocol, retries network
 * errors, HTTP 429 and 5xx with exponential back-off, and turns every error answer into a
 * {@link SchemaRegistryException} carrying the registry's {@code error_code}. No caching here: wrap it in
 * {@link org.ddpp.schemas.serde.CachedSchemaRegistry} for per-record use.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

    /** The registry's own media type, sent as Content-Type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final String authorization;

    public SchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.connectTimeout());
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
        this.authorization = config.basicAuthUserInfo()
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    /** A client with default settings for the registry at {@code url}. */
    public static SchemaRegistryClient of(String url) {
        return new SchemaRegistryClient(RegistryClientConfig.of(url));
    }

    public RegistryClientConfig config() {
        return config;
    }

    @Override
    public int register(String subject, String schema) {
        return register(subject, schema, RegisteredSchema.AVRO);
    }

    /** Registers a schema of the given type ({@code AVRO}, {@code JSON}, {@code PROTOBUF}); returns its id. */
    public int register(String subject, String schema, String schemaType) {
        JsonNode answer = send("POST", "/subjects/" + path(subject) + "/versions", schemaBody(schema, schemaType));
        return answer.path("id").asInt();
    }

    @Override
    public RegisteredSchema lookup(String subject, String schema) {
        JsonNode answer = send("POST", "/subjects/" + path(subject), schemaBody(schema, RegisteredSchema.AVRO));
        return toRegistered(answer, subject);
    }

    @Override
    public String schemaById(int id) {
        return send("GET", "/schemas/ids/" + id, null).path("schema").asText();
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return version(subject, "latest");
    }

    /** One version of a subject; {@code version} is a number or {@code latest}. */
    public RegisteredSchema version(String subject, String version) {
        return toRegistered(send("GET", "/subjects/" + path(subject) + "/versions/" + path(version), null), subject);
    }

    /** All subjects that have at least one live version. */
    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> out.add(node.asText()));
        return out;
    }

    /** The version numbers under a subject, oldest first. */
    public List<Integer> versions(String subject) {
        List<Integer> out = new ArrayList<>();
        send("GET", "/subjects/" + path(subject) + "/versions", null).forEach(node -> out.add(node.asInt()));
        return out;
    }

    /** Deletes a subject (soft, or permanently after a soft delete); returns the versions it held. */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Integer> out = new ArrayList<>();
        send("DELETE", "/subjects/" + path(subject) + (permanent ? "?permanent=true" : ""), null)
                .forEach(node -> out.add(node.asInt()));
        return out;
    }

    /** Whether {@code schema} is compatible with {@code version} (or {@code latest}) under the subject's level. */
    public boolean testCompatibility(String subject, String version, String schema) {
        JsonNode answer = send("POST", "/compatibility/subjects/" + path(subject) + "/versions/" + path(version),
                schemaBody(schema, RegisteredSchema.AVRO));
        return answer.path("is_compatible").asBoolean();
    }

    /** The registry-wide compatibility level. */
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.parse(send("GET", "/config", null).path("compatibilityLevel").asText());
    }

    /** Sets the registry-wide compatibility level. */
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", JSON.createObjectNode().put("compatibility", level.name()));
    }

    /** Sets a subject's own compatibility level. */
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + path(subject), JSON.createObjectNode().put("compatibility", level.name()));
    }

    /** A subject's own compatibility level; fails with 40408 when it has none. */
    public CompatibilityLevel subjectCompatibility(String subject) {
        return CompatibilityLevel.parse(send("GET", "/config/" + path(subject), null).path("compatibilityLevel").asText());
    }

    private static ObjectNode schemaBody(String schema, String schemaType) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema);
        if (schemaType != null && !RegisteredSchema.AVRO.equals(schemaType)) {
            body.put("schemaType", schemaType);
        }
        return body;
    }

    private static RegisteredSchema toRegistered(JsonNode node, String subject) {
        return new RegisteredSchema(node.path("subject").asText(subject), node.path("version").asInt(),
                node.path("id").asInt(), node.path("schema").asText(),
                node.path("schemaType").asText(RegisteredSchema.AVRO));
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends one request with retries; returns the parsed JSON answer or throws with the registry's code. */
    private JsonNode send(String method, String pathAndQuery, JsonNode body) {
        URI uri = URI.create(config.url() + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest built = request.build();
        Duration backoff = config.initialBackoff();
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= config.maxRetries();
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
                }
                SchemaRegistryException error = toException(method, uri, status, response.body());
                if (last || !(status == 429 || status >= 500)) {
                    throw error;
                }
                LOG.debug("registry {} {} answered {}, retrying", method, uri, status);
            } catch (IOException e) {
                if (last) {
                    throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE,
                            "schema registry " + config.url() + " unreachable after " + (attempt + 1)
                                    + " attempt(s): " + e, e);
                }
                LOG.debug("registry {} {} failed ({}), retrying", method, uri, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "interrupted", e);
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    private static SchemaRegistryException toException(String method, URI uri, int status, String body) {
        int code = status;
        String message = body;
        try {
            JsonNode error = JSON.readTree(body);
            code = error.path("error_code").asInt(status);
            message = error.path("message").asText(body);
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the raw body as the message
        }
        return new SchemaRegistryException(status, code,
                "schema registry " + method + " " + uri.getPath() + " failed: HTTP " + status + " error " + code + ": " + message);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "interrupted", e);
        }
    }
}

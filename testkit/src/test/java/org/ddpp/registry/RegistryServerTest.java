package org.ddpp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.registry.CompatibilityLevel;
import org.ddpp.schemas.registry.RegisteredSchema;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.registry.SchemaRegistryException;
import org.ddpp.testkit.TestStack;
import org.junit.jupiter.api.Test;

/** The embedded registry over HTTP: ids, compatibility, error codes, content types, restart. */
class RegistryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final TestStack stack = TestStack.get();
    private final SchemaRegistryClient client = stack.client();

    private static String subject() {
        return "test-" + UUID.randomUUID() + "-value";
    }

    private static String record(String name, String extraField) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}"
                + (extraField == null ? "" : "," + extraField) + "]}";
    }

    private record Answer(int status, JsonNode body, String contentType) {}

    private Answer http(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.registry.url() + path));
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void theSameSchemaGetsTheSameIdInEverySubject() {
        String a = subject();
        String b = subject();
        String schema = record("Same" + Math.abs(a.hashCode()), null);
        int id = client.register(a, schema);
        assertEquals(id, client.register(a, schema));
        // whitespace and field order of the JSON text do not matter; the parsed schema does
        assertEquals(id, client.register(b, new Schema.Parser().parse(schema).toString(true)));
        assertEquals(List.of(1), client.versions(a));
        assertEquals(new RegisteredSchema(a, 1, id, new Schema.Parser().parse(schema).toString(), "AVRO"), client.lookup(a, schema));
        assertEquals(new Schema.Parser().parse(schema), new Schema.Parser().parse(client.schemaById(id)));
        assertTrue(client.subjects().containsAll(List.of(a, b)));
    }

    @Test
    void anIncompatibleChangeUnderBackwardIsRefusedWith409() throws Exception {
        String s = subject();
        assertEquals(CompatibilityLevel.BACKWARD, client.globalCompatibility());
        client.register(s, record("Evolving", null));
        // a new field with a default is a BACKWARD-compatible change: version 2
        int v2 = client.register(s, record("Evolving", "{\"name\":\"b\",\"type\":\"int\",\"default\":0}"));
        assertEquals(2, client.latest(s).version());
        assertEquals(v2, client.latest(s).id());
        // a new field without a default cannot read old data
        String incompatible = record("Evolving", "{\"name\":\"c\",\"type\":\"int\"}");
        assertFalse(client.testCompatibility(s, "latest", incompatible));
        Answer answer = http("POST", "/subjects/" + s + "/versions",
                JSON.createObjectNode().put("schema", incompatible).toString(), "application/vnd.schemaregistry.v1+json");
        assertEquals(409, answer.status());
        assertEquals(409, answer.body().path("error_code").asInt());
        assertTrue(answer.body().path("message").asText().contains("incompatible"), answer.body().toString());
        assertEquals(List.of(1, 2), client.versions(s));
        // under NONE for this subject it is accepted
        client.setSubjectCompatibility(s, CompatibilityLevel.NONE);
        assertEquals(CompatibilityLevel.NONE, client.subjectCompatibility(s));
        client.register(s, incompatible);
        assertEquals(List.of(1, 2, 3), client.versions(s));
    }

    @Test
    void errorsCarryTheRegistryCodesAndContentType() throws Exception {
        String s = subject();
        assertEquals(40401, code(() -> client.versions(s)));
        assertEquals(40403, code(() -> client.schemaById(987654)));
        assertEquals(40408, code(() -> client.subjectCompatibility(s)));
        assertEquals(42201, code(() -> client.register(s, "{\"type\":\"record\",\"name\":\"Broken\"")));
        client.register(s, record("Codes", null));
        assertEquals(40402, code(() -> client.version(s, "9")));
        assertEquals(42202, code(() -> client.version(s, "zero")));
        assertEquals(40403, code(() -> client.lookup(s, record("Other", null))));
        Answer missing = http("GET", "/subjects/" + s + "/versions/9", null, null);
        assertEquals(404, missing.status());
        assertTrue(missing.contentType().startsWith("application/vnd.schemaregistry.v1+json"), missing.contentType());
        Answer unknownPath = http("GET", "/associations/resources/-/ddpp.scores?resourceType=topic", null, null);
        assertEquals(404, unknownPath.status());
        assertEquals(404, unknownPath.body().path("error_code").asInt());
    }

    @Test
    void unknownFieldsQueryParametersAndContentTypesAreAccepted() throws Exception {
        String s = subject();
        String body = JSON.createObjectNode().put("schema", record("Lenient", null)).put("schemaType", "AVRO")
                .put("comment", "ignored").set("metadata", JSON.createObjectNode().put("x", "y")).toString();
        for (String type : List.of("application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json")) {
            Answer answer = http("POST", "/subjects/" + s + "/versions?normalize=false&verbose=true&unknown=1", body, type);
            assertEquals(200, answer.status(), answer.body().toString());
            assertTrue(answer.body().path("id").asInt() > 0);
        }
        Answer byId = http("GET", "/schemas/ids/" + client.latest(s).id() + "?subject=" + s + "&fetchMaxId=false", null, null);
        assertEquals(200, byId.status());
        assertEquals(client.latest(s).schema(), byId.body().path("schema").asText());
        Answer config = http("GET", "/config/" + s + "?defaultToGlobal=true", null, null);
        assertEquals("BACKWARD", config.body().path("compatibilityLevel").asText());
        assertEquals("READWRITE", http("GET", "/mode", null, null).body().path("mode").asText());
        assertEquals(3, http("GET", "/schemas/types", null, null).body().size());
        Answer put = http("PUT", "/config/" + s, "{\"compatibility\":\"FULL\"}", "application/vnd.schemaregistry.v1+json");
        assertEquals("FULL", put.body().path("compatibility").asText());
        Answer bad = http("PUT", "/config/" + s, "{\"compatibility\":\"SIDEWAYS\"}", "application/json");
        assertEquals(42203, bad.body().path("error_code").asInt());
    }

    @Test
    void malformedRequestsGetRegistryErrorsNotServerErrors() throws Exception {
        for (String type : List.of("application/json", "application/vnd.schemaregistry.v1+json")) {
            Answer broken = http("POST", "/subjects/" + subject() + "/versions", "{\"schema\": ", type);
            assertTrue(broken.status() >= 400 && broken.status() < 500, broken.toString());
            assertTrue(broken.body().has("error_code"), broken.toString());
        }
        Answer notAnId = http("GET", "/schemas/ids/abc", null, null);
        assertTrue(notAnId.status() >= 400 && notAnId.status() < 500, notAnId.toString());
        assertTrue(notAnId.body().has("error_code"), notAnId.toString());
        Answer noBody = http("POST", "/subjects/" + subject() + "/versions", "", "application/json");
        assertEquals(42201, noBody.body().path("error_code").asInt(), noBody.toString());
        Answer health = http("GET", "/health", null, null);
        assertEquals("UP", health.body().path("status").asText());
    }

    @Test
    void deletingASubjectSoftlyThenPermanently() {
        String s = subject();
        int id = client.register(s, record("Deleted", null));
        assertEquals(List.of(1), client.deleteSubject(s, false));
        assertEquals(40401, code(() -> client.versions(s)));
        assertFalse(client.subjects().contains(s));
        assertEquals(record("Deleted", null).length() > 0, client.schemaById(id).contains("Deleted"));
        assertEquals(List.of(1), client.deleteSubject(s, true));
        // registering again starts a new history under the same global id
        assertEquals(id, client.register(s, record("Deleted", null)));
    }

    @Test
    void aRestartedRegistryServesTheSameIdsFromTheTopic() {
        String s = subject();
        Map<Integer, String> before = new HashMap<>();
        for (String schema : List.of(Candidate.getClassSchema().toString(), Score.getClassSchema().toString(),
                record("Restart", null), record("Restart", "{\"name\":\"b\",\"type\":\"int\",\"default\":0}"))) {
            int id = client.register(s.replace("-value", "-" + Math.abs(schema.hashCode()) + "-value"), schema);
            before.put(id, client.schemaById(id));
        }
        int maxBefore = before.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        try (RegistryServer second = RegistryServer.builder().setConnection(stack.connection()).start()) {
            assertNotEquals(stack.registry.url(), second.url());
            SchemaRegistryClient restarted = SchemaRegistryClient.of(second.url());
            before.forEach((id, schema) -> assertEquals(schema, restarted.schemaById(id)));
            assertEquals(client.subjects(), restarted.subjects());
            // a new schema continues after the highest id, never reusing one
            int fresh = restarted.register(s, record("AfterRestart" + UUID.randomUUID().toString().replace("-", ""), null));
            assertTrue(fresh > maxBefore);
            // the first instance serves what the second one wrote (it tails the same topic)
            assertEquals(restarted.schemaById(fresh), client.schemaById(fresh));
            assertEquals(Candidate.getClassSchema().toString(), restarted.schemaById(client.register("again-value", Candidate.getClassSchema().toString())));
        }
    }

    private static int code(Runnable call) {
        return assertThrows(SchemaRegistryException.class, call::run).errorCode();
    }
}

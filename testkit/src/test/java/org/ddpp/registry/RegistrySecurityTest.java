package org.ddpp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.ddpp.schemas.registry.CompatibilityLevel;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.registry.SchemaRegistryException;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry started with a users file: 401 without valid credentials, 403 for writes by read-only users, both
 * in the Confluent error form; our client with basic auth end to end; and https with a key store made at run time.
 */
class RegistrySecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V1 = "application/vnd.schemaregistry.v1+json";

    private static TestStack stack;
    private static TestUsers users;
    private static RegistryServer secured;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        users = TestUsers.create();
        secured = RegistryServer.builder().setBootstrapServers(stack.bootstrap()).optUsers(users.file).start();
    }

    @AfterAll
    static void stop() {
        if (secured != null) {
            secured.close();
        }
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

    private static Answer http(String method, String path, String body, String userInfo) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(secured.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", V1);
        }
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()), response);
    }

    private static String subject() {
        return "secure-" + UUID.randomUUID() + "-value";
    }

    private static String schemaBody(String name) {
        return JSON.createObjectNode().put("schema", "{\"type\":\"record\",\"name\":\"" + name
                + "\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}").toString();
    }

    private static void assertUnauthorized(Answer answer) {
        assertEquals(401, answer.status(), answer.body().toString());
        assertEquals(401, answer.body().path("error_code").asInt(), answer.body().toString());
        assertTrue(answer.body().path("message").asText().startsWith("Unauthorized"), answer.body().toString());
        assertEquals("Basic realm=\"ddpp-registry\"", answer.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(answer.raw().headers().firstValue("Content-Type").orElse("").startsWith(V1));
    }

    private static void assertForbidden(Answer answer) {
        assertEquals(403, answer.status(), answer.body().toString());
        assertEquals(403, answer.body().path("error_code").asInt(), answer.body().toString());
        assertTrue(answer.body().path("message").asText().contains("read-only"), answer.body().toString());
    }

    @Test
    void withoutValidCredentialsEveryRequestGets401() throws Exception {
        for (String path : List.of("/subjects", "/schemas/ids/1", "/config", "/health", "/no/such/path")) {
            assertUnauthorized(http("GET", path, null, null));
        }
        assertUnauthorized(http("POST", "/subjects/" + subject() + "/versions", schemaBody("NoAuth"), null));
        assertUnauthorized(http("GET", "/subjects", null, "writer:wrong-" + users.writerPassword));
        assertUnauthorized(http("GET", "/subjects", null, "writer:" + users.writerPassword.substring(1)));
        assertUnauthorized(http("GET", "/subjects", null, "writer:"));
        assertUnauthorized(http("GET", "/subjects", null, "nobody:" + users.writerPassword));
        assertUnauthorized(http("GET", "/subjects", null, "reader:" + users.writerPassword));
        assertUnauthorized(http("GET", "/subjects", null, "hashed:" + users.hashedPassword + "x"));
        HttpResponse<String> garbage = HTTP.send(HttpRequest.newBuilder(URI.create(secured.url() + "/subjects"))
                .header("Authorization", "Basic !!not-base64!!").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, garbage.statusCode());
        HttpResponse<String> bearer = HTTP.send(HttpRequest.newBuilder(URI.create(secured.url() + "/subjects"))
                .header("Authorization", "Bearer " + users.writerPassword).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bearer.statusCode());
    }

    @Test
    void aReadOnlyUserReadsLooksUpAndTestsButCannotWrite() throws Exception {
        String s = subject();
        Answer registered = http("POST", "/subjects/" + s + "/versions", schemaBody("ReadOnly"), users.writer());
        assertEquals(200, registered.status(), registered.body().toString());
        int id = registered.body().path("id").asInt();
        String reader = users.reader();

        assertEquals(200, http("GET", "/subjects", null, reader).status());
        assertEquals(200, http("GET", "/schemas/ids/" + id, null, reader).status());
        assertEquals(200, http("GET", "/subjects/" + s + "/versions/latest", null, reader).status());
        assertEquals(200, http("GET", "/config", null, reader).status());
        Answer lookup = http("POST", "/subjects/" + s, schemaBody("ReadOnly"), reader);
        assertEquals(200, lookup.status(), lookup.body().toString());
        assertEquals(id, lookup.body().path("id").asInt());
        Answer compatible = http("POST", "/compatibility/subjects/" + s + "/versions/latest", schemaBody("ReadOnly"), reader);
        assertEquals(200, compatible.status(), compatible.body().toString());
        assertTrue(compatible.body().path("is_compatible").asBoolean());

        assertForbidden(http("POST", "/subjects/" + s + "/versions", schemaBody("ReadOnly2"), reader));
        assertForbidden(http("POST", "/subjects/" + subject() + "/versions", schemaBody("ReadOnly"), reader));
        assertForbidden(http("DELETE", "/subjects/" + s, null, reader));
        assertForbidden(http("DELETE", "/subjects/" + s + "/versions/1", null, reader));
        assertForbidden(http("PUT", "/config", "{\"compatibility\":\"NONE\"}", reader));
        assertForbidden(http("PUT", "/config/" + s, "{\"compatibility\":\"NONE\"}", reader));
        assertForbidden(http("DELETE", "/config/" + s, null, reader));
        assertForbidden(http("PUT", "/mode", "{\"mode\":\"READONLY\"}", reader));
        // nothing changed
        assertEquals("[1]", http("GET", "/subjects/" + s + "/versions", null, users.writer()).body().toString());
        assertEquals("BACKWARD", http("GET", "/config", null, users.writer()).body().path("compatibilityLevel").asText());
    }

    @Test
    void ourClientWithBasicAuthWorksEndToEnd() {
        String s = subject();
        String schema = "{\"type\":\"record\",\"name\":\"ClientAuth\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        SchemaRegistryClient writer = client(users.writer());
        int id = writer.register(s, schema);
        assertEquals(List.of(1), writer.versions(s));
        writer.setSubjectCompatibility(s, CompatibilityLevel.FULL);
        assertEquals(CompatibilityLevel.FULL, writer.subjectCompatibility(s));
        SchemaRegistryClient hashed = client("hashed:" + users.hashedPassword);
        assertEquals(id, hashed.register(s, schema));
        SchemaRegistryClient reader = client(users.reader());
        assertEquals(id, reader.lookup(s, schema).id());
        assertTrue(reader.schemaById(id).contains("ClientAuth"));
        SchemaRegistryException denied = assertThrows(SchemaRegistryException.class, () -> reader.register(subject(), schema));
        assertEquals(403, denied.httpStatus());
        assertEquals(403, denied.errorCode());
        SchemaRegistryException anonymous = assertThrows(SchemaRegistryException.class,
                () -> SchemaRegistryClient.of(secured.url()).subjects());
        assertEquals(401, anonymous.httpStatus());
        assertEquals(401, anonymous.errorCode());
        assertEquals(List.of(1), writer.deleteSubject(s, false));
    }

    private static SchemaRegistryClient client(String userInfo) {
        return new SchemaRegistryClient(RegistryClientConfig.builder().setUrl(secured.url()).optBasicAuth(userInfo)
                .optMaxRetries(0).build());
    }

    @Test
    void withAKeyStoreItServesHttpsOnly() throws Exception {
        String password = TestUsers.randomPassword();
        Path store = dir.resolve("registry.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", password, "-keypass", password)).redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> RegistryServer.builder()
                .setBootstrapServers(stack.bootstrap()).optTls(new RegistryTls(store, password + "x", "PKCS12")).start());
        assertTrue(wrong.getMessage().contains(store.toString()), wrong.getMessage());

        try (RegistryServer tls = RegistryServer.builder().setBootstrapServers(stack.bootstrap())
                .optTls(new RegistryTls(store, password, null)).optUsers(users.file).start()) {
            assertTrue(tls.url().startsWith("https://127.0.0.1:"), tls.url());
            SchemaRegistryClient trusted = new SchemaRegistryClient(RegistryClientConfig.builder().setUrl(tls.url())
                    .optTrustStore(store, password, "PKCS12").optBasicAuth(users.writer()).build());
            String s = subject();
            int id = trusted.register(s, "{\"type\":\"record\",\"name\":\"OverTls\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
            assertTrue(trusted.schemaById(id).contains("OverTls"));
            assertEquals(List.of(1), trusted.versions(s));
            SchemaRegistryClient untrusted = new SchemaRegistryClient(RegistryClientConfig.builder().setUrl(tls.url())
                    .optBasicAuth(users.writer()).optMaxRetries(0).build());
            assertEquals(SchemaRegistryException.UNREACHABLE,
                    assertThrows(SchemaRegistryException.class, untrusted::subjects).errorCode());
            SchemaRegistryClient plain = new SchemaRegistryClient(RegistryClientConfig.builder()
                    .setUrl(tls.url().replace("https://", "http://")).optBasicAuth(users.writer()).optMaxRetries(0).build());
            assertThrows(SchemaRegistryException.class, plain::subjects);
        }
        assertTrue(Files.exists(store));
    }
}

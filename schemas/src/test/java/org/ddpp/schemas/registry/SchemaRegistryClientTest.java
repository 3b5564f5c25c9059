package org.ddpp.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted HTTP server: what it sends, how it retries, how errors surface. */
class SchemaRegistryClientTest {

    private record Answer(int status, String body) {}

    private record Seen(String method, String path, String authorization, String contentType, String body) {}

    private HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Seen> seen = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (seen) {
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            Answer answer = answers.isEmpty() ? new Answer(500, "{}") : answers.poll();
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SchemaRegistryClient client(String userInfo) {
        return new SchemaRegistryClient(RegistryClientConfig.builder()
                .setUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                .optBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .optMaxRetries(2)
                .optBasicAuth(userInfo)
                .build());
    }

    @Test
    void registersWithTheDocumentedRequestAndBasicAuth() {
        answers.add(new Answer(200, "{\"id\":7}"));
        assertEquals(7, client("alice:secret").register("my topic-value", "\"string\""));
        Seen request = seen.get(0);
        assertEquals("POST", request.method());
        assertEquals("/subjects/my%20topic-value/versions", request.path());
        assertEquals("Basic YWxpY2U6c2VjcmV0", request.authorization());
        assertEquals(SchemaRegistryClient.CONTENT_TYPE, request.contentType());
        assertEquals("{\"schema\":\"\\\"string\\\"\"}", request.body());
    }

    @Test
    void retriesServerErrorsWithBackoffThenSucceeds() {
        answers.add(new Answer(503, "busy"));
        answers.add(new Answer(500, "{\"error_code\":50001,\"message\":\"store\"}"));
        answers.add(new Answer(200, "{\"schema\":\"\\\"int\\\"\"}"));
        assertEquals("\"int\"", client(null).schemaById(3));
        assertEquals(3, seen.size());
        assertTrue(seen.get(0).authorization() == null);
    }

    @Test
    void givesUpAfterTheLastRetryWithTheRegistryCode() {
        for (int i = 0; i < 3; i++) {
            answers.add(new Answer(500, "{\"error_code\":50001,\"message\":\"store down\"}"));
        }
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client(null).subjects());
        assertEquals(50001, e.errorCode());
        assertEquals(500, e.httpStatus());
        assertEquals(3, seen.size());
    }

    @Test
    void clientErrorsAreNotRetriedAndCarryTheErrorCode() {
        answers.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}"));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client(null).schemaById(9));
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains("Schema 9 not found"), e.getMessage());
        assertEquals(1, seen.size());
        answers.add(new Answer(409, "{\"error_code\":409,\"message\":\"incompatible\"}"));
        assertEquals(409, assertThrows(SchemaRegistryException.class, () -> client(null).register("s", "\"int\"")).errorCode());
    }

    @Test
    void anUnreachableRegistryIsReportedAsSuch() {
        server.stop(0);
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client(null).subjects());
        assertEquals(SchemaRegistryException.UNREACHABLE, e.errorCode());
    }

    @Test
    void readsVersionsConfigAndCompatibilityAnswers() {
        answers.add(new Answer(200, "{\"subject\":\"s\",\"version\":2,\"id\":5,\"schema\":\"\\\"int\\\"\"}"));
        answers.add(new Answer(200, "[1,2]"));
        answers.add(new Answer(200, "{\"compatibilityLevel\":\"FULL\"}"));
        answers.add(new Answer(200, "{\"is_compatible\":false}"));
        SchemaRegistryClient client = client(null);
        assertEquals(new RegisteredSchema("s", 2, 5, "\"int\"", "AVRO"), client.latest("s"));
        assertEquals(List.of(1, 2), client.versions("s"));
        assertEquals(CompatibilityLevel.FULL, client.globalCompatibility());
        assertEquals(false, client.testCompatibility("s", "latest", "\"int\""));
        assertEquals("/compatibility/subjects/s/versions/latest", seen.get(3).path());
    }
}

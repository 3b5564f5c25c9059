package org.ddpp.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.ddpp.runtime.ClusterConnection;
import org.junit.jupiter.api.Test;

/**
 * The event stream's per-client bounds over real sockets: a page that stops reading is dropped once its queue
 * overflows, while a page that reads keeps receiving every event; a page that goes away stops being counted. No
 * broker is needed (the dashboard serves while its metrics consumer waits), so the grid pictures are the load:
 * about 430 KB of JSON each, far more than the socket buffers and the slow page's 16-event queue hold. That the
 * slow page is dropped at all shows that Micronaut only takes events from the stream as the connection drains
 * them; otherwise they would pile up in Netty's outbound buffer without bound.
 */
class DashboardEventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int PICTURES = 80;

    @Test
    void aStalledPageIsDroppedWhileAReadingPageGetsEveryEvent() throws Exception {
        try (Dashboard dashboard = Dashboard.builder().setConnection(ClusterConnection.local("127.0.0.1:1", "http://127.0.0.1:1"))
                .optPort(0).optQueueFrames(16).start()) {
            AtomicLong lastVersion = new AtomicLong(-1);
            HttpResponse<Stream<String>> reading = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, reading.statusCode());
            Thread reader = new Thread(() -> {
                try {
                    reading.body().filter(l -> l.startsWith("data: {\"side\"")).forEach(l -> {
                        try {
                            lastVersion.set(JSON.readTree(l.substring(6)).path("policyVersion").asLong());
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
                } catch (RuntimeException closedByTheTest) {
                    // the stream ends when the test closes it
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();

            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(8 * 1024);
                stalled.connect(new InetSocketAddress("127.0.0.1", dashboard.port()), 5_000);
                OutputStream out = stalled.getOutputStream();
                out.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await(() -> clients(dashboard) == 2, "both pages connected");

                double[] target = SyntheticRun.target();
                double[] policy = SyntheticRun.policy(0.3);
                for (int v = 1; v <= PICTURES; v++) {
                    dashboard.setGridPicture(v, policy, target);
                    long version = v;
                    // at the pace of the page that reads: it never falls behind, the stalled one only does
                    await(() -> lastVersion.get() == version, "the reading page saw picture " + version);
                }
                await(() -> clients(dashboard) == 1, "the stalled page was dropped");
                // it never read a byte: everything it was sent still sits in socket buffers, nothing more was taken
            }
            reading.body().close();
            await(() -> clients(dashboard) == 0, "a page that went away is no longer counted");
        }
    }

    @Test
    void aStreamBeyondTheLimitIsRefusedWith503AndAReadableReason() throws Exception {
        try (Dashboard dashboard = Dashboard.builder().setConnection(ClusterConnection.local("127.0.0.1:1", "http://127.0.0.1:1"))
                .optPort(0).optMaxEventStreams(2).start()) {
            HttpRequest events = HttpRequest.newBuilder(URI.create(dashboard.url() + "events")).build();
            HttpResponse<Stream<String>> first = HTTP.send(events, HttpResponse.BodyHandlers.ofLines());
            HttpResponse<Stream<String>> second = HTTP.send(events, HttpResponse.BodyHandlers.ofLines());
            assertEquals(List.of(200, 200), List.of(first.statusCode(), second.statusCode()));

            HttpResponse<Stream<String>> refused = HTTP.send(events, HttpResponse.BodyHandlers.ofLines());
            if (refused.statusCode() != 503) {
                refused.body().close(); // an open stream: its body never ends
            }
            assertEquals(503, refused.statusCode());
            String body = String.join("\n", refused.body().toList());
            assertEquals("too many open event streams (2); close another dashboard page and reload",
                    JSON.readTree(body).path("error").asText(), body);
            assertEquals("10", refused.headers().firstValue("Retry-After").orElse(""));

            first.body().close();
            await(() -> clients(dashboard) == 1, "the closed page is no longer counted");
            HttpResponse<Stream<String>> again = HTTP.send(events, HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, again.statusCode(), "room again once a page went away");
            again.body().close();
            second.body().close();
        }
    }

    private static int clients(Dashboard dashboard) {
        try {
            return JSON.readTree(DashboardTest.get(dashboard, "health", 200)).path("clients").asInt();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for {@code condition}; a 20 s guard turns a hang into a failure. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            Thread.sleep(50);
        }
    }
}

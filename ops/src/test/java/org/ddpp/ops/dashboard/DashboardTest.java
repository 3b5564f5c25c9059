package org.ddpp.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard against the real embedded broker and registry, without a browser: what it reads from
 * {@code ddpp.metrics} (only its run), what {@code /api/history}, {@code /api/grid}, {@code /health} and the page
 * answer, and that {@code /events} sends the history first and then each new record and grid picture.
 */
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    private static Dashboard dashboard(String run) {
        return Dashboard.builder().setConnection(stack.connection())
                .optPort(0).optRun(run).start();
    }

    @Test
    void rolesServingEveryRunAreShownWithTheRun() throws Exception {
        String run = "dash-" + UUID.randomUUID();
        try (SyntheticRun synthetic = new SyntheticRun(stack, run); Dashboard dashboard = dashboard(run)) {
            synthetic.publishForeign("other-" + run);
            synthetic.publishClusterWide("joiner", "ddpp-joiner-" + run, Map.of("dlq_total", 3.0));
            synthetic.flush();
            awaitRecords(dashboard, 1);
            JsonNode history = JSON.readTree(get(dashboard, "api/history", 200));
            assertEquals(1, history.path("records").asInt(), "only the cluster-wide record belongs here");
            assertEquals(3.0, series(history, "joiner", "ddpp-joiner-" + run, "dlq_total").path("v").get(0).asDouble());
        }
    }

    @Test
    void historyHoldsEveryFigureOfItsRunAndNothingElse() throws Exception {
        String run = "dash-" + UUID.randomUUID();
        try (SyntheticRun synthetic = new SyntheticRun(stack, run); Dashboard dashboard = dashboard(run)) {
            synthetic.publishForeign("other-" + run);
            double lastLoss = 0;
            for (int i = 0; i < 20; i++) {
                lastLoss = synthetic.publishRound();
            }
            synthetic.flush();
            awaitRecords(dashboard, 20 * SyntheticRun.RECORDS_PER_ROUND);

            JsonNode history = JSON.readTree(get(dashboard, "api/history", 200));
            assertEquals(20 * SyntheticRun.RECORDS_PER_ROUND, history.path("records").asInt());
            JsonNode loss = series(history, "trainer", "trainer-0", "loss");
            assertEquals(20, loss.path("t").size());
            assertEquals(lastLoss, loss.path("v").get(19).asDouble(), 1e-12);
            assertTrue(loss.path("t").get(19).asLong() > loss.path("t").get(0).asLong());
            for (JsonNode v : loss.path("v")) {
                assertTrue(v.asDouble() < 99, "a record of another run leaked into the history");
            }
            assertEquals(20, series(history, "demo", "demo", "tv_policy_to_target").path("v").size());
            assertEquals(20, series(history, "sampler", "sampler-1", "candidates_per_s").path("v").size());
            assertEquals(7, history.path("latest").size(), "one latest record per role instance");
            for (JsonNode m : history.path("latest")) {
                assertEquals(run, m.path("run").asText());
                assertEquals("grid", m.path("labels").path("task").asText());
            }

            JsonNode health = JSON.readTree(get(dashboard, "health", 200));
            assertEquals("UP", health.path("status").asText());
            assertEquals(20 * SyntheticRun.RECORDS_PER_ROUND, health.path("records").asInt());
        }
    }

    @Test
    void servesTheSelfContainedPageAndTheGridPicture() throws Exception {
        String run = "dash-" + UUID.randomUUID();
        try (Dashboard dashboard = dashboard(run)) {
            String page = get(dashboard, "", 200);
            assertTrue(page.contains("<canvas"), "the page draws on canvas");
            assertTrue(page.contains("new EventSource(\"events\")"), "the page subscribes to /events");
            assertFalse(page.matches("(?s).*<script[^>]+src=.*"), "no external script");
            assertFalse(page.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing fetched from elsewhere");
            get(dashboard, "no-such-page", 404);
            assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/history"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

            get(dashboard, "api/grid", 404);
            double[] target = SyntheticRun.target();
            dashboard.setGridPicture(3, SyntheticRun.policy(0.4), target);
            JsonNode grid = JSON.readTree(get(dashboard, "api/grid", 200));
            assertEquals(128, grid.path("side").asInt());
            assertEquals(3, grid.path("policyVersion").asLong());
            assertEquals(128 * 128, grid.path("policy").size());
            assertEquals(128 * 128, grid.path("target").size());
            // the prior puts half its mass on the left half-plane: TV(prior, target) = 1/2, and 0.6 of it remains
            assertEquals(0.6 * 0.5, grid.path("tv").asDouble(), 1e-9);
            int cell = 72 * 128 + 8; // inside a right-half square
            assertEquals(target[cell], grid.path("target").get(cell).asDouble(), 1e-9);
        }
    }

    @Test
    void eventStreamSendsHistoryThenEachNewRecordAndGridPicture() throws Exception {
        String run = "dash-" + UUID.randomUUID();
        try (SyntheticRun synthetic = new SyntheticRun(stack, run); Dashboard dashboard = dashboard(run)) {
            for (int i = 0; i < 3; i++) {
                synthetic.publishRound();
            }
            synthetic.flush();
            awaitRecords(dashboard, 3 * SyntheticRun.RECORDS_PER_ROUND);
            dashboard.setGridPicture(1, SyntheticRun.policy(0.1), SyntheticRun.target());

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "events"))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Thread reader = new Thread(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException closedByTheTest) {
                    // the stream ends when the test closes it
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                Event history = nextEvent(lines);
                assertEquals("history", history.name);
                assertEquals(3 * SyntheticRun.RECORDS_PER_ROUND, JSON.readTree(history.data).path("records").asInt());
                Event grid = nextEvent(lines);
                assertEquals("grid", grid.name);
                assertEquals(1, JSON.readTree(grid.data).path("policyVersion").asLong());

                double loss = synthetic.publishRound();
                synthetic.flush();
                List<JsonNode> live = new ArrayList<>();
                while (live.size() < SyntheticRun.RECORDS_PER_ROUND) {
                    Event e = nextEvent(lines);
                    assertEquals("metrics", e.name);
                    live.add(JSON.readTree(e.data));
                }
                JsonNode trainer = live.stream().filter(m -> m.path("role").asText().equals("trainer")).findFirst().orElseThrow();
                assertEquals(run, trainer.path("run").asText());
                assertEquals(loss, trainer.path("values").path("loss").asDouble(), 1e-12);

                dashboard.setGridPicture(2, SyntheticRun.policy(0.5), SyntheticRun.target());
                Event next = nextEvent(lines);
                assertEquals("grid", next.name);
                assertEquals(2, JSON.readTree(next.data).path("policyVersion").asLong());
                assertEquals(1, JSON.readTree(get(dashboard, "health", 200)).path("clients").asInt());
            } finally {
                response.body().close();
            }
        }
    }

    @Test
    void rejectsBadGridPictures() {
        double[] ok = SyntheticRun.target();
        assertThrows(IllegalArgumentException.class, () -> GridPicture.of(new double[10], new double[10], 0));
        assertThrows(IllegalArgumentException.class, () -> GridPicture.of(ok, new double[64], 0));
        double[] negative = ok.clone();
        negative[5] = -0.1;
        assertThrows(IllegalArgumentException.class, () -> GridPicture.of(negative, ok, 0));
        double[] nan = ok.clone();
        nan[5] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> GridPicture.of(ok, nan, 0));
        assertEquals(0.0, GridPicture.of(ok, ok, 0).tv());
    }

    @Test
    void aBusyPortIsOneReadableErrorAndCloseFreesThePort() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dashboard.builder()
                    .setConnection(stack.connection())
                    .optPort(busy.getLocalPort()).start());
            assertTrue(e.getMessage().contains(":" + busy.getLocalPort()), e.getMessage());
        }
        Dashboard first = dashboard("x");
        int port = first.port();
        first.close();
        first.close(); // idempotent
        try (Dashboard again = Dashboard.builder().setConnection(stack.connection()).optPort(port).start()) {
            assertEquals(port, again.port());
        }
    }

    @Test
    void longSeriesAreThinnedKeepingTheirSpanAndNewestPoint() {
        Series s = new Series("trainer", "t", "loss", 8);
        for (int i = 0; i < 100; i++) {
            s.add(i, i * 10.0);
        }
        assertTrue(s.size() <= 8 && s.size() >= 4, "size " + s.size());
        long[] t = s.times();
        assertEquals(99, t[t.length - 1]);
        assertEquals(990.0, s.values()[t.length - 1]);
        assertEquals(0, t[0], "the start of the run is still shown");
        for (int i = 1; i < t.length; i++) {
            assertTrue(t[i] > t[i - 1]);
        }
    }

    private record Event(String name, String data) {}

    /** Reads lines up to the next named event (skipping comments and retry lines); 20 s guard against a hang. */
    private static Event nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        String name = null;
        StringBuilder data = new StringBuilder();
        while (true) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertNotNull(line, "no server-sent event within 20 s");
            if (line.isEmpty()) {
                if (name != null) {
                    return new Event(name, data.toString());
                }
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
    }

    private static JsonNode series(JsonNode history, String role, String instance, String figure) {
        for (JsonNode s : history.path("series")) {
            if (s.path("role").asText().equals(role) && s.path("instance").asText().equals(instance)
                    && s.path("figure").asText().equals(figure)) {
                return s;
            }
        }
        throw new AssertionError("no series " + role + "/" + instance + "/" + figure);
    }

    static String get(Dashboard dashboard, String path, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** Waits until the dashboard has taken {@code n} records; a 30 s guard turns a hang into a failure. */
    static void awaitRecords(Dashboard dashboard, long n) {
        Wait.explained(() -> "dashboard took only " + dashboard.records() + " of " + n + " records",
                () -> Wait.atMost(Duration.ofSeconds(30)).until(() -> dashboard.records() >= n));
    }
}

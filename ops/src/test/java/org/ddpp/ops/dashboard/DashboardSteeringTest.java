package org.ddpp.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.scorers.reward.RewardConfigLog;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's steering panel on the real broker: read-only unless steering is allowed (the POST is refused
 * before routing), the history of the run's versions on {@code /api/steering}, and where it is allowed a POST
 * with the page's token publishes the next version (without it: 403; bad input: 400 with the reason).
 */
class DashboardSteeringTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestStack stack = TestStack.get();
    private final String suffix = "-dash-steer-" + UUID.randomUUID().toString().substring(0, 8);
    private final ClusterConnection connection = stack.connection(TopicNames.isolated("", suffix));

    private Dashboard dashboard(String run, boolean allowed) {
        connection.createMissingTopics();
        return Dashboard.builder().setConnection(connection).optPort(0).optRun(run)
                .optSteering(DashboardSteering.start(connection, run, allowed)).start();
    }

    @Test
    void aDashboardWithoutARunToSteerSaysSo() throws Exception {
        try (Dashboard dashboard = Dashboard.builder().setConnection(connection).optPort(0).start()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/steering"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "the page asks on every dashboard; a 404 would be a console error");
            assertTrue(JSON.readTree(r.body()).path("run").isNull(), r.body());
            assertEquals(405, post(dashboard, "{\"reward\":\"grid-center\"}", "x").statusCode());
        }
    }

    @Test
    void readOnlyByDefaultButShowsTheHistory() throws Exception {
        String run = "ro";
        new RewardConfigLog(connection, Duration.ofSeconds(30)).publish(run,
                org.ddpp.scorers.reward.RewardComposition.parse("grid-center=1", -20), 1.0, "cli", "from the command line");
        try (Dashboard dashboard = dashboard(run, false)) {
            JsonNode state = awaitVersions(dashboard, 1);
            assertFalse(state.path("allowed").asBoolean());
            assertTrue(state.path("token").isMissingNode(), "no token where nothing may be published");
            assertEquals(1.0, state.path("versions").get(0).path("scorers").path("grid-center").asDouble());
            assertEquals("from the command line", state.path("versions").get(0).path("reason").asText());
            HttpResponse<String> post = post(dashboard, "{\"reward\":\"grid-half-plane=1\"}", "anything");
            assertEquals(405, post.statusCode(), post.body());
        }
        assertEquals(1, new RewardConfigLog(connection, Duration.ofSeconds(30)).history(run).size(), "nothing published");
    }

    @Test
    void whereAllowedTheFormPublishesWithThePagesTokenOnly() throws Exception {
        String run = "rw";
        try (Dashboard dashboard = dashboard(run, true)) {
            JsonNode state = awaitVersions(dashboard, 0);
            assertTrue(state.path("allowed").asBoolean());
            String token = state.path("token").asText();
            assertEquals(48, token.length());

            assertEquals(403, post(dashboard, "{\"reward\":\"grid-half-plane=1\"}", null).statusCode(), "no token");
            assertEquals(403, post(dashboard, "{\"reward\":\"grid-half-plane=1\"}", "0".repeat(48)).statusCode(), "wrong token");
            for (String bad : List.of("not json", "{\"reward\":\"a=-1\"}", "{\"floor\":-3}", "{\"reward\":\"a\",\"beta\":\"x\"}")) {
                HttpResponse<String> refused = post(dashboard, bad, token);
                assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
                assertFalse(JSON.readTree(refused.body()).path("error").asText().isBlank(), refused.body());
            }

            HttpResponse<String> ok = post(dashboard,
                    "{\"reward\":\"grid-half-plane=1,grid-center=0.5\",\"floor\":\"-8\",\"beta\":2,\"reason\":\"from the page\"}", token);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(1, JSON.readTree(ok.body()).path("version").asLong());
            JsonNode after = awaitVersions(dashboard, 1);
            assertEquals("dashboard", after.path("versions").get(0).path("setBy").asText());
        }
        List<RewardConfig> history = new RewardConfigLog(connection, Duration.ofSeconds(30)).history(run);
        assertEquals(1, history.size());
        assertEquals(-8.0, history.get(0).getFloor());
        assertEquals(2.0, history.get(0).getBeta());
        assertEquals("from the page", history.get(0).getReason());
    }

    private JsonNode awaitVersions(Dashboard dashboard, int n) throws Exception {
        JsonNode[] last = new JsonNode[1];
        Wait.explained(() -> "steering state " + last[0], () -> Wait.atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/steering"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            last[0] = JSON.readTree(r.body());
            return r.statusCode() == 200 && last[0].path("versions").size() == n;
        }));
        return last[0];
    }

    private static HttpResponse<String> post(Dashboard dashboard, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dashboard.url() + "api/steer"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(DashboardSteering.TOKEN_HEADER, token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

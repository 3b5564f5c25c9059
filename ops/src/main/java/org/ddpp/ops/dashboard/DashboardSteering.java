package org.ddpp.ops.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RewardConfigFollower;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;

/**
 * The dashboard's steering panel for one run: the run's reward-configuration history (read from
 * {@code ddpp.reward-config}, so the charts can mark each change) and, only when the demo was started with
 * {@code --allow-steering}, publishing a new version from the page's form, as {@code ddpp steer} does. Publishing
 * needs the token this object makes at start and hands to the page through {@code GET /api/steering}; a page of
 * another origin cannot read that answer, so it cannot steer the run (a cross-site form post lacks the header).
 * Without {@code --allow-steering} the dashboard stays read-only: {@code POST} is refused before routing.
 */
public final class DashboardSteering implements AutoCloseable {

    /** Header that must carry the token on {@code POST /api/steer}. */
    public static final String TOKEN_HEADER = "X-Ddpp-Steering-Token";
    /** Largest request body taken (a reward spec and a reason). */
    static final int MAX_BODY = 8_192;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run;
    private final boolean allowed;
    private final RewardConfigLog log;
    private final RewardConfigFollower follower;
    private final String token;

    private DashboardSteering(String run, boolean allowed, RewardConfigLog log, RewardConfigFollower follower) {
        this.run = run;
        this.allowed = allowed;
        this.log = log;
        this.follower = follower;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
    }

    /**
     * Follows {@code run}'s reward configurations; {@code allowed} lets the page publish new ones.
     */
    public static DashboardSteering start(ClusterConnection connection, String run, boolean allowed) {
        Objects.requireNonNull(run, "run");
        RewardConfigFollower follower = RewardConfigFollower.start("dashboard", connection, run, null);
        return new DashboardSteering(run, allowed, new RewardConfigLog(connection, Duration.ofSeconds(30)), follower);
    }

    /** True when the page may publish new versions. */
    public boolean allowed() {
        return allowed;
    }

    /** The run, whether steering is allowed (with the token then), and every version known, oldest first. */
    String stateJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("run", run);
        out.put("allowed", allowed);
        if (allowed) {
            out.put("token", token);
        }
        ArrayNode versions = out.putArray("versions");
        for (RewardConfig c : follower.history(run)) {
            versions.add(toJson(c));
        }
        return out.toString();
    }

    private static ObjectNode toJson(RewardConfig c) {
        ObjectNode v = JSON.createObjectNode();
        v.put("version", c.getVersion());
        v.put("setAt", c.getSetAt().toEpochMilli());
        v.put("setBy", c.getSetBy());
        v.put("floor", c.getFloor());
        v.put("beta", c.getBeta());
        if (c.getReason() != null) {
            v.put("reason", c.getReason());
        }
        ObjectNode weights = v.putObject("scorers");
        for (RewardTerm t : c.getScorers()) {
            weights.put(t.getScorer(), t.getWeight());
        }
        return v;
    }

    /** True when {@code presented} is this dashboard's token (compared in constant time). */
    boolean tokenMatches(String presented) {
        return presented != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Publishes the next version from a JSON body {@code {"reward": "a=1,b=0.5", "floor": -20, "beta": 1,
     * "reason": "…"}} (floor, beta and reason optional) and returns it as JSON.
     *
     * @throws IllegalArgumentException with a readable reason when the body is not such an object
     * @throws RewardConfigLog.ConcurrentSteeringException when another publisher fenced this one
     */
    String publish(byte[] body) {
        if (!allowed) {
            throw new IllegalStateException("steering is not allowed on this dashboard");
        }
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("expected a JSON object of at most " + MAX_BODY + " bytes");
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
        }
        if (request == null || !request.isObject() || !request.path("reward").isTextual()) {
            throw new IllegalArgumentException("expected {\"reward\": \"scorer=weight,…\"} with optional floor, beta and reason");
        }
        double floor = number(request, "floor", RewardComposition.DEFAULT_FLOOR);
        double beta = number(request, "beta", 1.0);
        String reason = request.path("reason").isTextual() && !request.path("reason").asText().isBlank()
                ? request.path("reason").asText() : null;
        RewardComposition composition = RewardComposition.parse(request.path("reward").asText(), floor);
        RewardConfig published = log.publish(run, composition, beta, "dashboard", reason);
        return toJson(published).toString();
    }

    private static double number(JsonNode request, String field, double otherwise) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isBlank()) {
            return otherwise;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " is not a number: '" + v.asText() + "'");
            }
        }
        throw new IllegalArgumentException(field + " must be a number");
    }

    @Override
    public void close() {
        follower.close();
    }
}

package org.ddpp.ops.dashboard;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP surface: {@code GET /} (the page, also {@code /index.html}), {@code GET /events}
 * (server-sent events), {@code GET /api/history}, {@code GET /api/grid}, {@code GET /api/steering} (the run's
 * reward-configuration versions) and {@code GET /health}; HEAD of each; and {@code POST /api/steer} where steering
 * is allowed. Anything else but GET and HEAD is 405 ({@link DashboardMethodFilter}), an unknown path 404 with a JSON body; every
 * answer carries {@code Cache-Control: no-cache}. Active only in a context that holds a {@link DashboardSource}.
 * The history and the grid picture wait for the feed's lock, under which a large history is written, so they run
 * on Micronaut's blocking executor; the other routes take no lock and answer on the event loop. {@code /events}
 * must stay there: on the blocking executor Micronaut would take 256 events ahead of the connection instead of one
 * at a time, and a stalled page would hold them all.
 */
@Controller
@Produces(MediaType.ALL) // like the JDK server before: Accept is not negotiated, each answer sets its own type
@Requires(beans = DashboardSource.class)
final class DashboardController {

    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
    /** Where the page's steering form posts. */
    static final String STEER_PATH = "/api/steer";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardController.class);
    private static final byte[] NOTHING = new byte[0];
    /** Request attribute: why a route answered 404. */
    private static final String NOT_FOUND_REASON = "ddpp.dashboard.not-found";

    private final DashboardSource source;

    DashboardController(DashboardSource source) {
        this.source = source;
    }

    @Get(uris = {"/", "/index.html"})
    MutableHttpResponse<byte[]> page() {
        return answer(HttpStatus.OK, HTML, source.page());
    }

    /**
     * A stream that starts with the reconnect delay, the history and the grid picture, then follows the feed; a 503
     * with a JSON reason when the most streams allowed are already open.
     */
    @Get(value = "/events", headRoute = false)
    MutableHttpResponse<Publisher<Event<String>>> events(HttpRequest<?> request) {
        Publisher<Event<String>> stream = source.feed().subscribe(String.valueOf(request.getRemoteAddress()));
        if (stream == null) {
            throw new StreamsFull(source.feed().maxClients());
        }
        return HttpResponse.ok(stream).contentType(EVENT_STREAM).header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    /** {@code GET /events} while the most event streams allowed are open. */
    static final class StreamsFull extends RuntimeException {
        StreamsFull(int open) {
            super("too many open event streams (" + open + "); close another dashboard page and reload");
        }
    }

    /** A stream refused for lack of room: 503, the reason as JSON, and when to try again. */
    @Error(exception = StreamsFull.class)
    MutableHttpResponse<byte[]> streamsFull(HttpRequest<?> request, StreamsFull full) {
        LOG.info("dashboard refused an event stream for {}: {}", request.getRemoteAddress(), full.getMessage());
        return json(HttpStatus.SERVICE_UNAVAILABLE, errorBody(full.getMessage())).header(HttpHeaders.RETRY_AFTER, "10");
    }

    /** The stream's headers without opening a stream. */
    @Head("/events")
    MutableHttpResponse<byte[]> eventsHead() {
        return answer(HttpStatus.OK, EVENT_STREAM, NOTHING);
    }

    @Get("/api/history")
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> history() {
        return json(HttpStatus.OK, source.feed().historyJson());
    }

    @Get("/api/grid")
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> grid(HttpRequest<?> request) {
        String grid = source.feed().gridJson();
        if (grid == null) {
            // Micronaut hands every 404 to notFound(), which answers with this reason instead of "no such page"
            request.setAttribute(NOT_FOUND_REASON, "no grid picture yet");
            return json(HttpStatus.NOT_FOUND, errorBody("no grid picture yet"));
        }
        return json(HttpStatus.OK, grid);
    }

    /**
     * The run's steering state: whether the form is enabled and every version so far; {@code "run": null} where the
     * dashboard has no run to steer (the page then shows no steering panel).
     */
    @Get("/api/steering")
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> steering() {
        if (source.steering() == null) {
            return json(HttpStatus.OK, "{\"run\":null,\"allowed\":false,\"versions\":[]}");
        }
        return json(HttpStatus.OK, source.steering().stateJson());
    }

    /**
     * Publishes the run's next reward configuration from the form (only reached where steering is allowed: the
     * method filter refuses the POST otherwise): 403 without the page's token, 400 with the reason for bad input,
     * 409 when another publisher for the run came first.
     */
    @Post(value = STEER_PATH, consumes = MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> steer(HttpRequest<byte[]> request, @Body @Nullable byte[] body) {
        DashboardSteering steering = source.steering();
        if (steering == null || !steering.allowed()) {
            return json(HttpStatus.METHOD_NOT_ALLOWED, errorBody("steering is not allowed on this dashboard"));
        }
        if (!steering.tokenMatches(request.getHeaders().get(DashboardSteering.TOKEN_HEADER))) {
            return json(HttpStatus.FORBIDDEN, errorBody("missing or wrong " + DashboardSteering.TOKEN_HEADER
                    + " (reload the page)"));
        }
        try {
            String published = steering.publish(body);
            LOG.info("dashboard: steered by {}: {}", request.getRemoteAddress(), published);
            return json(HttpStatus.OK, published);
        } catch (org.ddpp.scorers.reward.RewardConfigLog.ConcurrentSteeringException e) {
            return json(HttpStatus.CONFLICT, errorBody(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return json(HttpStatus.BAD_REQUEST, errorBody(e.getMessage()));
        } catch (IllegalStateException e) {
            LOG.warn("dashboard: steering failed: {}", e.getMessage());
            return json(HttpStatus.SERVICE_UNAVAILABLE, errorBody(e.getMessage()));
        }
    }

    @Get("/health")
    MutableHttpResponse<byte[]> health() {
        LiveFeed feed = source.feed();
        return json(HttpStatus.OK, DashboardJson.health(source.following().getAsBoolean(), feed.records(), feed.clients()));
    }

    /** Every 404, an unknown path's and a route's own: the JSON error names the reason or the page asked for. */
    @Error(global = true, status = HttpStatus.NOT_FOUND)
    MutableHttpResponse<byte[]> notFound(HttpRequest<?> request) {
        String reason = request.getAttribute(NOT_FOUND_REASON, String.class)
                .orElseGet(() -> "no such page: " + request.getUri().getPath());
        return json(HttpStatus.NOT_FOUND, errorBody(reason));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_WRITER = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String errorBody(String reason) {
        return JSON_WRITER.createObjectNode().put("error", reason).toString();
    }

    /** A request Micronaut refuses keeps its status; anything else is a 500 and a warning. */
    @Error(global = true)
    MutableHttpResponse<byte[]> failed(HttpRequest<?> request, Throwable error) {
        if (error instanceof HttpStatusException refused) {
            LOG.debug("dashboard request {}: {}", request.getPath(), error.toString());
            return json(refused.getStatus(), errorBody(refused.getStatus().getCode() + " " + refused.getStatus().getReason()));
        }
        LOG.warn("dashboard request {} failed", request.getPath(), error);
        return json(HttpStatus.INTERNAL_SERVER_ERROR, "{\"error\":\"internal error\"}");
    }

    static MutableHttpResponse<byte[]> json(HttpStatus status, String body) {
        return answer(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    static MutableHttpResponse<byte[]> answer(HttpStatus status, String type, byte[] body) {
        return HttpResponse.<byte[]>status(status).body(body).contentType(type).header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }
}

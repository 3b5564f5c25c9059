package org.ddpp.ops.observe;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /metrics} in Prometheus' text format and {@code GET /health} (with {@code /health/live} and
 * {@code /health/ready}) for orchestrators: 200 when up, 503 otherwise. Active only in a context that holds a
 * {@link MetricsSource}, so the registry's own server never serves it.
 */
@Controller
@Requires(beans = MetricsSource.class)
final class MetricsController {

    /** Prometheus' text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricsSource source;

    MetricsController(MetricsSource source) {
        this.source = source;
    }

    @Get("/metrics")
    @Produces(PROMETHEUS_TEXT)
    String metrics() {
        return source.registry().scrape();
    }

    @Get("/health")
    @Produces(MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> health() {
        boolean live = source.live().getAsBoolean();
        boolean ready = live && source.ready().getAsBoolean();
        return answer(ready, live, ready);
    }

    @Get("/health/live")
    @Produces(MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> live() {
        boolean live = source.live().getAsBoolean();
        return answer(live, live, live && source.ready().getAsBoolean());
    }

    @Get("/health/ready")
    @Produces(MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> ready() {
        return health();
    }

    private static HttpResponse<Map<String, Object>> answer(boolean up, boolean live, boolean ready) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("live", live);
        body.put("ready", ready);
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}

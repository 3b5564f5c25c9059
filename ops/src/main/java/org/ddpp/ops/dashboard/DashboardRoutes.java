package org.ddpp.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP surface on a JDK {@link HttpServer}: {@code GET /} (the page), {@code GET /events}
 * (server-sent events), {@code GET /api/history}, {@code GET /api/grid} and {@code GET /health}. Only GET and
 * HEAD are served; anything else is 405, an unknown path 404.
 */
final class DashboardRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    /** Classpath location of the single-file page. */
    static final String PAGE_RESOURCE = "/dashboard/index.html";

    private final LiveFeed feed;
    private final BooleanSupplier following;
    private final byte[] page;

    DashboardRoutes(LiveFeed feed, BooleanSupplier following) {
        this.feed = feed;
        this.following = following;
        this.page = loadPage();
    }

    void install(HttpServer server) {
        server.createContext("/", guarded(this::page));
        server.createContext("/events", guarded(ex -> {
            if (ex.getRequestMethod().equals("HEAD")) {
                send(ex, 200, "text/event-stream; charset=utf-8", new byte[0]);
            } else {
                feed.subscribe(ex);
            }
        }));
        server.createContext("/api/history", guarded(ex -> json(ex, 200, feed.historyJson())));
        server.createContext("/api/grid", guarded(this::grid));
        server.createContext("/health", guarded(ex -> json(ex, 200,
                DashboardJson.health(following.getAsBoolean(), feed.records(), feed.clients()))));
    }

    private void page(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/") && !path.equals("/index.html")) {
            json(ex, 404, "{\"error\":\"no such page: " + path.replace("\"", "") + "\"}");
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", page);
    }

    private void grid(HttpExchange ex) throws IOException {
        String grid = feed.gridJson();
        if (grid == null) {
            json(ex, 404, "{\"error\":\"no grid picture yet\"}");
        } else {
            json(ex, 200, grid);
        }
    }

    private static HttpHandler guarded(Handler handler) {
        return ex -> {
            try {
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    json(ex, 405, "{\"error\":\"method " + method + " not allowed\"}");
                    return;
                }
                handler.handle(ex);
            } catch (IOException e) {
                LOG.debug("dashboard request {} failed: {}", ex.getRequestURI(), e.toString());
                ex.close();
            } catch (RuntimeException e) {
                LOG.warn("dashboard request {} failed", ex.getRequestURI(), e);
                try {
                    json(ex, 500, "{\"error\":\"internal error\"}");
                } catch (IOException | RuntimeException ignored) {
                    ex.close();
                }
            }
        };
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private static byte[] loadPage() {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dashboard page " + PAGE_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard page " + PAGE_RESOURCE, e);
        }
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }
}

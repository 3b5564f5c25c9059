package org.ddpp.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.ddpp.schemas.avro.Metrics;

/**
 * The dashboard's state and its live stream, kept consistent: a page that connects gets the history (and the last
 * grid picture) and then every later record exactly once, because taking the snapshot and joining the broadcast
 * happen under the same lock as adding a record.
 */
final class LiveFeed {

    static final String HISTORY = "history";
    static final String METRICS = "metrics";
    static final String GRID = "grid";

    private final MetricsHistory history;
    private final EventStream events;
    private String gridJson;

    LiveFeed(MetricsHistory history, EventStream events) {
        this.history = history;
        this.events = events;
    }

    /** Keeps {@code m} and pushes it to every open page. */
    synchronized void accept(Metrics m) {
        history.add(m);
        events.broadcast(METRICS, DashboardJson.metrics(m));
    }

    /** Replaces the grid picture and pushes it to every open page. */
    synchronized void setGrid(GridPicture picture) {
        gridJson = DashboardJson.grid(picture);
        events.broadcast(GRID, gridJson);
    }

    /** Turns {@code exchange} into an event stream that starts with the history and the current grid picture. */
    void subscribe(HttpExchange exchange) throws IOException {
        SseClient client = events.open(exchange);
        synchronized (this) {
            client.offer("retry: 2000\n\n");
            client.offer(SseClient.frame(HISTORY, historyJson()));
            if (gridJson != null) {
                client.offer(SseClient.frame(GRID, gridJson));
            }
            events.register(client);
        }
    }

    synchronized String historyJson() {
        return DashboardJson.history(history.records(), history.series(), history.latest());
    }

    /** The current grid picture as JSON, or null when none was set. */
    synchronized String gridJson() {
        return gridJson;
    }

    long records() {
        return history.records();
    }

    int clients() {
        return events.clients();
    }
}

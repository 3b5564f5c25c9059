package org.ddpp.ops.dashboard;

import java.time.Duration;
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
    /** How long a browser waits before it reconnects a lost stream. */
    static final Duration RECONNECT = Duration.ofMillis(2000);

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

    /**
     * A new event stream for the page at {@code remote} that starts with the history and the current grid picture
     * and then carries every later record and picture. Returns at once: the history (it can be large) is written
     * on the event stream's thread, and nothing is broadcast to the client before it. Null when the most event
     * streams allowed are already open.
     */
    SseClient subscribe(String remote) {
        SseClient client = events.open(remote);
        if (client == null) {
            return null;
        }
        events.prepare(client, () -> {
            synchronized (this) {
                client.offer(SseClient.retry(RECONNECT));
                client.offer(SseClient.event(HISTORY, historyJson()));
                if (gridJson != null) {
                    client.offer(SseClient.event(GRID, gridJson));
                }
                events.register(client);
            }
        });
        return client;
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

    int maxClients() {
        return events.maxClients();
    }
}

package org.ddpp.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The set of open server-sent-event connections of {@code GET /events}: opens them, fans each event out to all,
 * and sends a comment every few seconds so that dead connections are noticed and proxies keep live ones open.
 */
final class EventStream implements AutoCloseable {

    private static final int QUEUE_FRAMES = 10_000;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger opened = new AtomicInteger();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });

    EventStream(long heartbeatMillis) {
        heartbeat.scheduleAtFixedRate(() -> broadcastFrame(": ping\n\n"), heartbeatMillis, heartbeatMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Answers {@code exchange} with the event-stream headers and returns a client that is not yet receiving
     * broadcasts: queue its initial frames, then {@link #register} it.
     */
    SseClient open(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        SseClient[] self = new SseClient[1];
        self[0] = new SseClient(exchange, QUEUE_FRAMES, "dashboard-sse-" + opened.incrementAndGet(),
                () -> clients.remove(self[0]));
        return self[0];
    }

    /** Starts delivering broadcasts (and the queued frames) to {@code client}. */
    void register(SseClient client) {
        clients.add(client);
        client.start();
    }

    void broadcast(String event, String data) {
        broadcastFrame(SseClient.frame(event, data));
    }

    private void broadcastFrame(String frame) {
        for (SseClient c : clients) {
            c.offer(frame);
        }
    }

    int clients() {
        return clients.size();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        for (SseClient c : clients) {
            c.close();
        }
    }
}

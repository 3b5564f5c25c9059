package org.ddpp.ops.dashboard;

import io.micronaut.http.sse.Event;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The set of open server-sent-event connections of {@code GET /events}: opens them, fans each event out to all,
 * and sends a comment every few seconds so that dead connections are noticed and proxies keep live ones open. Its
 * one thread also prepares new streams ({@link #prepare}), which keeps that work off Netty's event loops. At most
 * {@code maxClients} connections are open at once (each may hold a queue of {@code queueFrames} events); beyond
 * that {@link #open} refuses, and the page gets a 503.
 */
final class EventStream implements AutoCloseable {

    /** Events one client may have waiting before it is closed as too far behind. */
    static final int QUEUE_FRAMES = 10_000;
    /** Event-stream connections open at once by default. */
    static final int MAX_CLIENTS = 32;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final int queueFrames;
    private final int maxClients;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-sse");
        t.setDaemon(true);
        return t;
    });

    EventStream(long heartbeatMillis) {
        this(heartbeatMillis, QUEUE_FRAMES, MAX_CLIENTS);
    }

    EventStream(long heartbeatMillis, int queueFrames, int maxClients) {
        this.queueFrames = queueFrames;
        this.maxClients = maxClients;
        worker.scheduleAtFixedRate(() -> broadcastEvent(SseClient.comment("ping")), heartbeatMillis, heartbeatMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * A client for the connection from {@code remote} that is not yet receiving broadcasts: queue its initial
     * events, then {@link #register} it. Null when {@link #maxClients()} connections are already open.
     */
    SseClient open(String remote) {
        if (open.incrementAndGet() > maxClients) {
            open.decrementAndGet();
            return null;
        }
        SseClient[] self = new SseClient[1];
        self[0] = new SseClient(queueFrames, "dashboard-sse-" + opened.incrementAndGet() + " (" + remote + ")", () -> {
            clients.remove(self[0]);
            open.decrementAndGet();
        });
        return self[0];
    }

    int maxClients() {
        return maxClients;
    }

    /**
     * Runs {@code setup} (queueing a new client's first events, then {@link #register}) on this stream's thread;
     * closes {@code client} instead when the stream is closed.
     */
    void prepare(SseClient client, Runnable setup) {
        try {
            worker.execute(setup);
        } catch (RejectedExecutionException closed) {
            client.close();
        }
    }

    /** Starts delivering broadcasts to {@code client}. */
    void register(SseClient client) {
        clients.add(client);
        if (client.isClosed()) {
            clients.remove(client); // overflowed or cancelled before it joined
        }
    }

    void broadcast(String event, String data) {
        broadcastEvent(SseClient.event(event, data));
    }

    private void broadcastEvent(Event<String> event) {
        for (SseClient c : clients) {
            c.offer(event);
        }
    }

    int clients() {
        return clients.size();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        for (SseClient c : clients) {
            c.close();
        }
    }
}

package org.ddpp.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code text/event-stream} response. Frames are queued and written by the client's own thread, so a
 * slow or vanished browser never stalls the Kafka consumer or the other pages; a client whose queue overflows is
 * closed (the browser's {@code EventSource} reconnects and receives the history again).
 */
final class SseClient {

    private static final Logger LOG = LoggerFactory.getLogger(SseClient.class);
    private static final String STOP = new String("stop"); // identity sentinel

    private final HttpExchange exchange;
    private final BlockingQueue<String> queue;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread writer;

    SseClient(HttpExchange exchange, int queueCapacity, String name, Runnable onClosed) {
        this.exchange = exchange;
        this.queue = new ArrayBlockingQueue<>(queueCapacity + 1);
        this.onClosed = onClosed;
        this.writer = new Thread(this::drain, name);
        this.writer.setDaemon(true);
    }

    /** One server-sent event; {@code data} must be a single line (compact JSON is). */
    static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    void start() {
        writer.start();
    }

    /** Queues a frame; false (and the client closes) when it is closed or too far behind. */
    boolean offer(String frame) {
        if (closed.get()) {
            return false;
        }
        if (queue.remainingCapacity() <= 1 || !queue.offer(frame)) { // the last slot is kept for STOP
            LOG.info("dashboard client {} is too far behind; closing it (it will reconnect)", remote());
            close();
            return false;
        }
        return true;
    }

    /** Stops the writer after the frames already queued are dropped; idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            queue.offer(STOP);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private void drain() {
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                String frame = queue.take();
                if (frame == STOP) {
                    break;
                }
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("dashboard client {} went away: {}", remote(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed.set(true);
            exchange.close();
            onClosed.run();
        }
    }

    private String remote() {
        return String.valueOf(exchange.getRemoteAddress());
    }
}

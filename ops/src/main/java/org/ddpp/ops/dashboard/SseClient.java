package org.ddpp.ops.dashboard;

import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code text/event-stream} response, as the Reactive Streams publisher Micronaut writes. Events wait in
 * a bounded queue and leave it only as fast as the connection asks for them (Micronaut requests more when Netty has
 * written what it had), so a slow or vanished browser never stalls the Kafka consumer or the other pages and never
 * holds more than its queue; a client whose queue overflows is closed (the browser's {@code EventSource}
 * reconnects and receives the history again). A connection the browser closed cancels the subscription, which
 * closes the client too.
 */
final class SseClient implements Publisher<Event<String>> {

    private static final Logger LOG = LoggerFactory.getLogger(SseClient.class);

    private final BlockingQueue<Event<String>> queue;
    private final String name;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Subscriber<? super Event<String>> subscriber;
    private volatile boolean cancelled;
    private boolean terminated; // only touched inside drain()

    SseClient(int queueCapacity, String name, Runnable onClosed) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.name = name;
        this.onClosed = onClosed;
    }

    /** One server-sent event; {@code data} must be a single line (compact JSON is). */
    static Event<String> event(String event, String data) {
        return Event.of(data).name(event);
    }

    /** A comment line ({@code : text}): keeps proxies from closing the stream and notices dead connections. */
    static Event<String> comment(String text) {
        return Event.of("").comment(text);
    }

    /** The browser's reconnection delay ({@code retry: millis}). */
    static Event<String> retry(Duration delay) {
        return Event.of("").retry(delay);
    }

    /** Queues an event; false (and the client closes) when it is closed or too far behind. */
    boolean offer(Event<String> event) {
        if (closed.get()) {
            return false;
        }
        if (!queue.offer(event)) {
            LOG.info("dashboard client {} is too far behind; closing it (it will reconnect)", name);
            close();
            return false;
        }
        drain();
        return true;
    }

    /** Ends the stream after dropping the events still queued; idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            onClosed.run();
            drain();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void subscribe(Subscriber<? super Event<String>> s) {
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            s.onError(new IllegalStateException("an event stream has one subscriber"));
            return;
        }
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    LOG.debug("dashboard client {}: bad request({}) from the server", name, n);
                    cancelled = true;
                    close();
                    return;
                }
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            @Override
            public void cancel() {
                LOG.debug("dashboard client {} went away", name);
                cancelled = true;
                close();
            }
        });
        subscriber = s;
        drain();
    }

    /** Hands queued events to the subscriber as far as it asked for them; serialised, whatever thread calls it. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super Event<String>> s = subscriber;
            if (s != null && !terminated) {
                if (closed.get()) {
                    terminated = true;
                    queue.clear();
                    if (!cancelled) {
                        s.onComplete();
                    }
                } else {
                    long wanted = demand.get();
                    long sent = 0;
                    while (sent < wanted && !closed.get()) {
                        Event<String> next = queue.poll();
                        if (next == null) {
                            break;
                        }
                        s.onNext(next);
                        sent++;
                    }
                    if (sent > 0 && wanted != Long.MAX_VALUE) {
                        demand.addAndGet(-sent);
                    }
                    if (closed.get()) {
                        continue; // complete in the next pass
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    @Override
    public String toString() {
        return name;
    }
}

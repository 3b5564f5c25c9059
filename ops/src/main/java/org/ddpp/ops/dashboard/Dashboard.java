package org.ddpp.ops.dashboard;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ddpp.runtime.Shutdown;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of {@code ddpp demo}: follows {@code ddpp.metrics} and serves one self-contained page
 * whose charts update through server-sent events, plus a heat map of the current policy's grid distribution next
 * to the target, which the demo sets with {@link #setGridPicture}. Served by Micronaut, the project's one HTTP
 * stack, in a context of its own ({@link DashboardController} is active only there), so it shares a process with
 * the registry's and the metrics server's contexts. Built with {@link #builder()}; stop it with {@link #close()}.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final MetricsFollower follower;
    private final EventStream events;
    private final LiveFeed feed;
    private final String url;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final DashboardSteering steering;

    private Dashboard(ApplicationContext context, EmbeddedServer server, MetricsFollower follower, EventStream events,
            LiveFeed feed, String host, DashboardSteering steering) {
        this.steering = steering;
        this.context = context;
        this.server = server;
        this.follower = follower;
        this.events = events;
        this.feed = feed;
        this.host = host;
        this.url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort() + "/";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getPort();
    }

    /** Metrics records taken from the topic so far (after the run filter). */
    public long records() {
        return feed.records();
    }

    /**
     * Shows a new picture of the policy next to the target: two {@code side × side} probability tables (128 × 128
     * for the grid task) indexed {@code a·side + b}. Thread-safe; the tables are copied.
     *
     * @throws IllegalArgumentException when the tables differ in length, are not square, or hold a negative or
     *                                  non-finite entry
     */
    public void setGridPicture(double[] policy, double[] target) {
        setGridPicture(-1, policy, target);
    }

    /** As {@link #setGridPicture(double[], double[])}, labelled with the policy version it shows. */
    public void setGridPicture(long policyVersion, double[] policy, double[] target) {
        feed.setGrid(GridPicture.of(policy, target, policyVersion));
    }

    /**
     * Closes the event streams, stops the HTTP server and the metrics consumer; returns once the port is free again
     * (at most 5 s). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping dashboard at {}", url);
        int port = server.getPort();
        Shutdown.closeAll("dashboard", events, server::stop, context, follower, () -> {
            if (steering != null) {
                steering.close();
            }
        });
        awaitReleased(host, port, Duration.ofSeconds(5));
    }

    /** Netty closes the listening socket after {@code stop()} returns; wait for it, so a restart can bind the port. */
    private static void awaitReleased(String host, int port, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!free(host, port)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("dashboard port {}:{} still bound {} s after stop", host, port, limit.toSeconds());
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether {@code host:port} can be bound now. */
    static boolean free(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** Builds and starts a {@link Dashboard}. */
    public static final class Builder {
        /** Default port of {@code ddpp demo}'s dashboard. */
        public static final int DEFAULT_PORT = 8080;
        /** Default listen host: this machine only. */
        public static final String DEFAULT_HOST = "127.0.0.1";

        private org.ddpp.runtime.ClusterConnection connection;
        private int port = DEFAULT_PORT;
        private String host = DEFAULT_HOST;
        private String run;
        private int pointsPerSeries = 2_000;
        private int maxSeries = 1_000;
        private int queueFrames = EventStream.QUEUE_FRAMES;
        private int maxEventStreams = EventStream.MAX_CLIENTS;
        private DashboardSteering steering;

        /** Kafka, registry and topic names of the run to show (required). */
        public Builder setConnection(org.ddpp.runtime.ClusterConnection connection) {
            this.connection = connection;
            return this;
        }

        /** HTTP port; default 8080, 0 picks a free one. */
        public Builder optPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Listen host; default 127.0.0.1 ({@code 0.0.0.0} to serve other machines). */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Shows only records of this run; default: every run in the topic. */
        public Builder optRun(String run) {
            this.run = run;
            return this;
        }

        /** Points kept per series before it is thinned to every other point; default 2000. */
        public Builder optPointsPerSeries(int points) {
            this.pointsPerSeries = points;
            return this;
        }

        /** Events one page may have waiting before it is dropped as too slow; default 10000 (tests use fewer). */
        Builder optQueueFrames(int frames) {
            if (frames < 4) {
                throw new IllegalArgumentException("queue must hold at least 4 events, got " + frames);
            }
            this.queueFrames = frames;
            return this;
        }

        /**
         * Event-stream connections ({@code GET /events}, one per open page) served at once; one more gets a 503 with
         * a JSON reason. Default 32. Each holds at most the queue of a page (slower pages are dropped).
         */
        public Builder optMaxEventStreams(int streams) {
            if (streams < 1) {
                throw new IllegalArgumentException("max event streams must be at least 1, got " + streams);
            }
            this.maxEventStreams = streams;
            return this;
        }

        /**
         * The run's steering panel: its reward-configuration history on the page and, when {@code steering} allows
         * it, the form that publishes a new version. The dashboard closes it. Default: none (no run to steer).
         */
        public Builder optSteering(DashboardSteering steering) {
            this.steering = steering;
            return this;
        }

        /** Starts following the metrics topic and serving HTTP; a busy port is an IllegalStateException. */
        public Dashboard start() {
            Objects.requireNonNull(connection, "connection is required");
            Objects.requireNonNull(host, "host");
            if (port > 0 && !free(host, port)) {
                // before Micronaut tries, so that a busy port is this one line and not also Micronaut's error log
                throw busy(null);
            }
            EventStream events = new EventStream(10_000, queueFrames, maxEventStreams);
            LiveFeed feed = new LiveFeed(new MetricsHistory(pointsPerSeries, maxSeries), events);
            CachedSchemaRegistry registry = connection.cachedRegistry();
            MetricsFollower follower = new MetricsFollower(connection,
                    Topics.METRICS.valueSerde(registry, false).deserializer(), run, feed::accept);
            ApplicationContext context;
            EmbeddedServer server;
            try {
                DashboardSource source = new DashboardSource(feed, follower::following, DashboardSource.loadPage(), steering);
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("micronaut.application.name", "ddpp-dashboard");
                props.put("micronaut.server.host", host);
                props.put("micronaut.server.port", port > 0 ? port : -1);
                context = ApplicationContext.builder().properties(props).deduceEnvironment(false).singletons(source).start();
            } catch (RuntimeException e) {
                events.close();
                follower.close();
                throw e;
            }
            server = context.getBean(EmbeddedServer.class);
            try {
                server.start();
            } catch (RuntimeException e) {
                context.close();
                events.close();
                follower.close();
                throw listenFailure(e);
            }
            follower.start();
            Dashboard dashboard = new Dashboard(context, server, follower, events, feed, host, steering);
            LOG.info("dashboard at {}{}", dashboard.url(), run == null ? "" : " (run " + run + ")");
            return dashboard;
        }

        private IllegalStateException busy(Throwable cause) {
            return new IllegalStateException("dashboard cannot listen on " + host + ":" + port
                    + " (port in use? choose another with --port)", cause);
        }

        /** A port in use is one readable line; other I/O failures keep their cause. */
        private RuntimeException listenFailure(RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BindException) {
                    return busy(e);
                }
            }
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IOException io) {
                    return new UncheckedIOException("dashboard cannot listen on " + host + ":" + port, io);
                }
            }
            return e;
        }
    }
}

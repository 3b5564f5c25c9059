package org.ddpp.ops.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of {@code ddpp demo}: follows {@code ddpp.metrics} and serves one self-contained page
 * whose charts update through server-sent events, plus a heat map of the current policy's grid distribution next
 * to the target, which the demo sets with {@link #setGridPicture}. Runs on the JDK's HTTP server (not Micronaut)
 * so it never meets the registry's Micronaut context in the same process. Built with {@link #builder()}; stop it
 * with {@link #close()}.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsFollower follower;
    private final EventStream events;
    private final LiveFeed feed;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Dashboard(HttpServer server, ExecutorService executor, MetricsFollower follower, EventStream events,
            LiveFeed feed, String host) {
        this.server = server;
        this.executor = executor;
        this.follower = follower;
        this.events = events;
        this.feed = feed;
        this.url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort() + "/";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
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

    /** Closes the event streams, stops the HTTP server and the metrics consumer. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping dashboard at {}", url);
        events.close();
        server.stop(0);
        executor.shutdownNow();
        follower.close();
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

        public Dashboard start() {
            Objects.requireNonNull(connection, "connection is required");
            Objects.requireNonNull(host, "host");
            EventStream events = new EventStream(10_000);
            LiveFeed feed = new LiveFeed(new MetricsHistory(pointsPerSeries, maxSeries), events);
            CachedSchemaRegistry registry = connection.cachedRegistry();
            MetricsFollower follower = new MetricsFollower(connection,
                    Topics.METRICS.valueSerde(registry, false).deserializer(), run, feed::accept);
            DashboardRoutes routes;
            try {
                routes = new DashboardRoutes(feed, follower::following);
            } catch (RuntimeException e) {
                events.close();
                follower.close();
                throw e;
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            } catch (BindException e) {
                events.close();
                follower.close();
                throw new IllegalStateException("dashboard cannot listen on " + host + ":" + port
                        + " (port in use? choose another with --port)", e);
            } catch (IOException e) {
                events.close();
                follower.close();
                throw new UncheckedIOException("dashboard cannot listen on " + host + ":" + port, e);
            }
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "dashboard-http-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            routes.install(server);
            server.start();
            follower.start();
            Dashboard dashboard = new Dashboard(server, executor, follower, events, feed, host);
            LOG.info("dashboard at {}{}", dashboard.url(), run == null ? "" : " (run " + run + ")");
            return dashboard;
        }
    }
}

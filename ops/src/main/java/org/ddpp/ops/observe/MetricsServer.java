package org.ddpp.ops.observe;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.ddpp.runtime.LocalPorts;
import org.ddpp.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one process's {@code /metrics} (Prometheus text) and {@code /health} on Micronaut, the project's HTTP
 * stack. Every role of the process registers its meters on {@link #registry()}; the embedded demo therefore needs
 * one port for all its roles. Binds to 127.0.0.1 unless told otherwise.
 */
public final class MetricsServer implements AutoCloseable {

    /** Default listen host. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final JvmGcMetrics gc;

    private MetricsServer(PrometheusMeterRegistry registry, ApplicationContext context, EmbeddedServer server, JvmGcMetrics gc) {
        this.registry = registry;
        this.context = context;
        this.server = server;
        this.gc = gc;
    }

    /** A registry with the JVM's own meters (memory, GC, threads, CPU, uptime) bound. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Starts serving {@code registry} on {@code host:port} ({@code port} > 0, or 0 for any free port when
     * {@code anyPort}); {@code live} and {@code ready} answer {@code /health}.
     */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier live,
            BooleanSupplier ready) {
        if (port > 0) {
            LocalPorts.requireFree(host, port);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.application.name", "ddpp-metrics");
        props.put("micronaut.server.host", host);
        props.put("micronaut.server.port", port > 0 ? port : -1);
        ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false)
                .singletons(new MetricsSource(registry, live, ready)).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        MetricsServer metrics = new MetricsServer(registry, context, server, gc);
        LOG.info("metrics at {}/metrics, health at {}/health", metrics.url(), metrics.url());
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return server.getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9404}. */
    public String url() {
        return "http://" + server.getHost() + ":" + server.getPort();
    }

    @Override
    public synchronized void close() {
        if (!server.isRunning()) {
            return;
        }
        Shutdown.closeAll("metrics server", server::stop, context, gc, registry::close);
    }
}

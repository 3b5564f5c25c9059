package org.ddpp.trainer.online;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Serves published policy weight files over HTTP ({@code GET /policies/<run>/<file>}) so samplers on other hosts
 * can fetch each new version the {@code PolicyUpdate} record names. Read-only, confined to one directory.
 *
 * <p>The one server of the project on the JDK's {@code HttpServer} rather than Micronaut, by measurement
 * ({@code docs/architecture.md}, "HTTP servers"): it starts in about 0.1 s instead of 1.3 s, with 50 MB RSS
 * instead of 180 MB, and serves 5 MB and 50 MB files faster; it also keeps this module free of Micronaut.
 */
public final class PolicyFileServer implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final String host;

    public PolicyFileServer(Path root, String host, int port) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.host = host;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/policies/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "policy-file-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String relative = exchange.getRequestURI().getPath().substring("/policies/".length());
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            long size = Files.size(file);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size);
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    /** The URL under which {@code file} (inside the root) is served. */
    public String urlFor(Path file) {
        Path relative = root.relativize(file.toAbsolutePath().normalize());
        return "http://" + host + ":" + port() + "/policies/" + relative.toString().replace('\\', '/');
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

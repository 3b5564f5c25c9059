package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights downloads over file:// and http://: exact bytes when size and sha256 match, a readable reason when not. */
class PolicyFetcherTest {

    @TempDir Path dir;
    private Path downloads;
    private byte[] bytes;
    private String sha;
    private HttpServer server;
    private PolicyFetcher fetcher;

    @BeforeEach
    void setUp() throws Exception {
        downloads = Files.createDirectories(dir.resolve("downloads"));
        bytes = new byte[100_000];
        new Random(3).nextBytes(bytes);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.write(dir.resolve("v1.params"), bytes);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/weights/v1.params", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            } catch (IOException ignored) {
                // the client gave up
            }
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/endless", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length: a stream that never ends (bounded here by the test)
            try (OutputStream out = ex.getResponseBody()) {
                byte[] zeros = new byte[1 << 16];
                for (int i = 0; i < 1_000; i++) {
                    out.write(zeros);
                }
            } catch (IOException ignored) {
                // the client gave up, as it should
            }
        });
        server.start();
        fetcher = new PolicyFetcher(downloads, Duration.ofSeconds(2), Duration.ofMillis(700), true, PolicyFetcher.DEFAULT_MAX_BYTES);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private String http(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void fileUriAndPlainPathDeliverTheExactBytes() throws Exception {
        Path a = fetcher.fetch(dir.resolve("v1.params").toUri().toString(), sha, bytes.length);
        assertArrayEquals(bytes, Files.readAllBytes(a));
        Path b = fetcher.fetch(dir.resolve("v1.params").toAbsolutePath().toString(), sha.toUpperCase(), bytes.length);
        assertArrayEquals(bytes, Files.readAllBytes(b));
    }

    @Test
    void httpDeliversTheExactBytes() throws Exception {
        Path file = fetcher.fetch(http("/weights/v1.params"), sha, bytes.length);
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void wrongHashIsRejectedAndLeavesNoFile() throws Exception {
        String wrong = sha.substring(0, 63) + (sha.charAt(63) == '0' ? '1' : '0');
        PolicyFetchException file = assertThrows(PolicyFetchException.class,
                () -> fetcher.fetch(dir.resolve("v1.params").toUri().toString(), wrong, bytes.length));
        assertTrue(file.getMessage().contains("sha256 " + sha + ", announced " + wrong), file.getMessage());
        PolicyFetchException web = assertThrows(PolicyFetchException.class,
                () -> fetcher.fetch(http("/weights/v1.params"), wrong, bytes.length));
        assertTrue(web.getMessage().contains("announced " + wrong), web.getMessage());
        assertEquals(0, count(downloads));
    }

    @Test
    void wrongSizeUnreachableAndUnsupportedAreRejectedWithAReason() throws Exception {
        String uri = dir.resolve("v1.params").toUri().toString();
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch(uri, sha, bytes.length - 1))
                .getMessage().contains("larger than the announced"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch(http("/weights/v1.params"), sha, bytes.length + 1))
                .getMessage().contains("have 100000 bytes, announced 100001"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch(dir.resolve("missing").toUri().toString(), sha, 1))
                .getMessage().contains("cannot read weights file"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch(http("/nothing"), sha, 1))
                .getMessage().contains("HTTP 404"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch("ftp://host/x", sha, 1))
                .getMessage().contains("unsupported weights URI"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> fetcher.fetch(uri, "abc", 1))
                .getMessage().contains("not 64 hex digits"));
        assertEquals(0, count(downloads));
    }

    @Test
    void onlyHttpByDefaultNoRedirectsAndNoMoreBytesThanAnnouncedOrAllowed() throws Exception {
        PolicyFetcher strict = new PolicyFetcher(downloads, Duration.ofSeconds(2), Duration.ofSeconds(5));
        String file = dir.resolve("v1.params").toUri().toString();
        assertTrue(assertThrows(PolicyFetchException.class, () -> strict.fetch(file, sha, bytes.length))
                .getMessage().contains("only http:// and https:// are allowed"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> strict.fetch("/etc/passwd", sha, 10))
                .getMessage().contains("is a local file"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> strict.fetch(http("/weights/v1.params"), sha, -1))
                .getMessage().contains("negative"));
        PolicyFetcher small = new PolicyFetcher(downloads, Duration.ofSeconds(2), Duration.ofSeconds(5), false, 1_000);
        assertTrue(assertThrows(PolicyFetchException.class, () -> small.fetch(http("/weights/v1.params"), sha, bytes.length))
                .getMessage().contains("above the maximum of 1000 bytes"));
        assertTrue(assertThrows(PolicyFetchException.class, () -> strict.fetch(http("/redirect"), sha, bytes.length))
                .getMessage().contains("redirects are not followed"));
        long start = System.nanoTime();
        assertTrue(assertThrows(PolicyFetchException.class, () -> strict.fetch(http("/endless"), sha, bytes.length))
                .getMessage().contains("larger than the announced"));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "stopped reading at the announced size");
        assertEquals(bytes.length, Files.size(strict.fetch(http("/weights/v1.params"), sha, bytes.length)),
                "a well-formed http download still works");
        assertEquals(1, count(downloads), "nothing of the refused downloads is left");
    }

    @Test
    void aDownloadThatTakesTooLongIsAbandoned() {
        PolicyFetchException e = assertThrows(PolicyFetchException.class, () -> fetcher.fetch(http("/slow"), sha, bytes.length));
        assertTrue(e.getMessage().contains("did not finish within 700 ms") || e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PolicyFetchException e = assertThrows(PolicyFetchException.class,
                () -> fetcher.fetch("http://127.0.0.1:" + port + "/v1.params", sha, bytes.length));
        assertTrue(e.getMessage().startsWith("cannot download"), e.getMessage());
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}

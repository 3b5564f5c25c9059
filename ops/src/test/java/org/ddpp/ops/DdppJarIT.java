package org.ddpp.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real fat jar ({@code ops/target/ddpp.jar}, built in the package phase): {@code ddpp broker}
 * and {@code ddpp registry} print their address first once ready, the registry answers over HTTP (so Micronaut's
 * generated beans survived shading), and both stop cleanly on SIGTERM.
 */
class DdppJarIT {

    private static final Path JAR = Path.of("target/ddpp.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void brokerThenRegistryFromTheJar() throws Exception {
        assertTrue(Files.exists(JAR), JAR + " missing: run mvn package");
        List<Process> processes = new ArrayList<>();
        try {
            Process broker = start(List.of("broker", "--data-dir", dir.resolve("kafka").toString(), "--port", "0"), "broker");
            processes.add(broker);
            String bootstrap = firstLine(broker);
            assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);

            Process registry = start(List.of("registry", "--bootstrap-servers", bootstrap, "--port", "0"), "registry");
            processes.add(0, registry);
            String url = firstLine(registry);
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+"), url);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode());
            assertEquals("[]", subjects.body());
            assertEquals("application/vnd.schemaregistry.v1+json", subjects.headers().firstValue("Content-Type").orElse(""));
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/jar-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"id\":1}", registered.body());

            for (Process process : processes) {
                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not stop on SIGTERM");
            }
            assertTrue(Files.readString(dir.resolve("registry.err")).contains("registry stopped cleanly"));
            assertTrue(Files.readString(dir.resolve("broker.err")).contains("broker stopped cleanly"));
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void aBadOptionIsOneReadableLine() throws Exception {
        Process process = start(List.of("broker", "--port", "70000"), "bad");
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals(List.of("ddpp broker: port must be between 0 and 65535, got 70000"),
                Files.readAllLines(dir.resolve("bad.err")));
    }

    private Process start(List<String> args, String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null, "process ended before printing its address");
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return line;
    }
}

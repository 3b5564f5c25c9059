package bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ddpp.trainer.online.PolicyFileServer;

/**
 * server jdk|mn|mnstatic ROOT  : starts one weights server on 127.0.0.1, prints "READY port jvmToReadyMs ctorMs", waits for stdin EOF
 * client BASE FILE COUNT WARMUP : downloads BASE/FILE COUNT times like PolicyFetcher (HttpClient, BodyHandlers.ofFile), prints MB/s each
 */
public final class WeightsBench {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("server")) {
            Path root = Path.of(a[2]).toAbsolutePath().normalize();
            long t0 = System.nanoTime();
            AutoCloseable server;
            int port;
            switch (a[1]) {
                case "jdk" -> {
                    PolicyFileServer s = new PolicyFileServer(root, "127.0.0.1", 0);
                    server = s;
                    port = s.port();
                }
                case "mn", "mnstatic", "mnstream" -> {
                    Map<String, Object> props = new java.util.LinkedHashMap<>();
                    props.put("micronaut.application.name", "bench-weights");
                    props.put("micronaut.server.host", "127.0.0.1");
                    props.put("micronaut.server.port", -1);
                    ApplicationContext ctx;
                    if (a[1].equals("mnstatic")) {
                        props.put("micronaut.router.static-resources.policies.enabled", true);
                        props.put("micronaut.router.static-resources.policies.paths", "file:" + root);
                        props.put("micronaut.router.static-resources.policies.mapping", "/policies/**");
                        ctx = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
                    } else {
                        ctx = ApplicationContext.builder().properties(props).deduceEnvironment(false)
                                .singletons(a[1].equals("mn") ? new BenchRoot(root) : new BenchStreamRoot(root)).start();
                    }
                    EmbeddedServer s = ctx.getBean(EmbeddedServer.class);
                    s.start();
                    port = s.getPort();
                    server = () -> { s.stop(); ctx.close(); };
                }
                default -> throw new IllegalArgumentException(a[1]);
            }
            long ready = System.currentTimeMillis();
            long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("READY " + port + " " + (ready - jvmStart) + " " + (System.nanoTime() - t0) / 1_000_000);
            System.out.flush();
            System.in.readAllBytes();
            server.close();
        } else {
            String url = a[1] + "/" + a[2];
            int count = Integer.parseInt(a[3]);
            int warm = Integer.parseInt(a[4]);
            HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            Path dir = Files.createTempDirectory("bench-dl");
            double[] mbs = new double[count];
            for (int i = -warm; i < count; i++) {
                Path tmp = dir.resolve("f" + i);
                long t = System.nanoTime();
                HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofFile(tmp));
                double s = (System.nanoTime() - t) / 1e9;
                long size = Files.size(tmp);
                if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
                Files.delete(tmp);
                if (i >= 0) mbs[i] = size / 1e6 / s;
            }
            Arrays.sort(mbs);
            System.out.printf("CLIENT %s median %.0f MB/s min %.0f max %.0f (n=%d)%n", a[2], mbs[count / 2], mbs[0], mbs[count - 1], count);
        }
    }
}

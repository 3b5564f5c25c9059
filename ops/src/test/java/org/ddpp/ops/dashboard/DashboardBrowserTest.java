package org.ddpp.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ddpp.testkit.TestStack;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard as a user sees it: headless Debian {@code chromium} driven by npm {@code playwright-core}
 * ({@code src/test/dashboard/check.js}) opens the page while a synthetic run publishes real {@code Metrics} through
 * the embedded broker and registry; the charts must show data, the grid heat maps must appear, and the page must
 * keep updating live, all within 30 s of the dashboard's start. The screenshot lands in
 * {@code ops/target/dashboard.png}. Without chromium, node or the npm package the test is skipped, unless
 * {@code DDPP_REQUIRE_CONFORMANCE=1} (set by {@code .ci/run}) makes that a failure.
 */
class DashboardBrowserTest {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserTest.class);
    private static final Path DIR = Path.of("src/test/dashboard").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target/dashboard.png").toAbsolutePath();
    private static final boolean REQUIRED = "1".equals(System.getenv("DDPP_REQUIRE_CONFORMANCE"));
    private static final int MIN_POINTS = 10;

    private static void requireBrowser() {
        boolean chromium = Files.isExecutable(CHROMIUM);
        boolean playwright = Files.isDirectory(DIR.resolve("node_modules/playwright-core"));
        boolean node = nodeWorks();
        String missing = (chromium ? "" : " apt-get install chromium;") + (node ? "" : " install node;")
                + (playwright ? "" : " npm ci in " + DIR + ";");
        if (REQUIRED) {
            assertTrue(chromium && node && playwright, "browser test needs:" + missing);
        }
        assumeTrue(chromium && node && playwright, "browser test skipped, missing:" + missing);
    }

    private static boolean nodeWorks() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void headlessChromiumShowsLiveChartsAndTheGridWithin30Seconds() throws Exception {
        requireBrowser();
        TestStack stack = TestStack.get();
        String run = "browser-" + UUID.randomUUID();
        Files.deleteIfExists(SCREENSHOT);
        long started = System.nanoTime();
        try (SyntheticRun synthetic = new SyntheticRun(stack, run);
                Dashboard dashboard = Dashboard.builder().setConnection(stack.connection()).optPort(0).optRun(run).start()) {
            for (int i = 0; i < 40; i++) {
                synthetic.publishRound();
            }
            synthetic.flush();
            dashboard.setGridPicture(0, SyntheticRun.policy(0.0), SyntheticRun.target());

            // like a live run: a snapshot of every role every 250 ms, a new policy version every second
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread live = new Thread(() -> {
                int round = 0;
                while (publishing.get()) {
                    synthetic.publishRound();
                    synthetic.flush();
                    if (++round % 4 == 0) {
                        dashboard.setGridPicture(round / 4, SyntheticRun.policy(Math.min(1, round / 80.0)),
                                SyntheticRun.target());
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "synthetic-run");
            live.setDaemon(true);
            live.start();
            String output;
            int exit;
            try {
                Process node = new ProcessBuilder("node", "check.js", dashboard.url(), SCREENSHOT.toString(),
                        Integer.toString(MIN_POINTS)).directory(DIR.toFile()).redirectErrorStream(true).start();
                output = readAll(node.getInputStream(), node, 40);
                exit = node.exitValue();
            } finally {
                publishing.set(false);
                live.interrupt();
                live.join(5_000);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.info("check.js finished in {} s after the dashboard started:\n{}", String.format("%.1f", seconds), output);

            assertEquals(0, exit, "check.js failed:\n" + output);
            assertTrue(output.lines().anyMatch("OK"::equals), output);
            assertTrue(seconds < 30, "charts with data only after " + seconds + " s");

            List<JsonNode> statuses = output.lines().filter(l -> l.startsWith("STATUS ")).map(l -> {
                try {
                    return new ObjectMapper().readTree(l.substring(7));
                } catch (IOException e) {
                    throw new AssertionError("bad STATUS line " + l, e);
                }
            }).toList();
            JsonNode last = statuses.get(statuses.size() - 1);
            for (String chart : List.of("reward", "tv", "loss", "logz", "lag", "rate-trainer", "rate-sampler",
                    "rate-scorer", "rate-joiner")) {
                assertTrue(last.path("charts").path(chart).asInt() >= MIN_POINTS, chart + " in " + last);
            }
            assertTrue(last.path("grid").asBoolean(), last.toString());
            assertTrue(last.path("records").asLong() > statuses.get(0).path("records").asLong(), "no live updates");
            assertTrue(last.path("records").asLong() >= 40L * SyntheticRun.RECORDS_PER_ROUND, last.toString());

            byte[] png = Files.readAllBytes(SCREENSHOT);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "screenshot is a PNG");
            assertTrue(png.length > 20_000, "screenshot of " + png.length + " bytes looks empty");
        }
    }

    /** Reads the process' output until it exits; kills it after {@code seconds} (a guard, not a speed test). */
    private static String readAll(InputStream in, Process process, int seconds) throws Exception {
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(')');
            }
        }, "check-js-output");
        reader.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            throw new AssertionError("check.js did not finish within " + seconds + " s:\n" + out);
        }
        reader.join(5_000);
        return out.toString();
    }
}

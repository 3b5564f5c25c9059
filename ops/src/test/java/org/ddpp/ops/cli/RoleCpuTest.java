package org.ddpp.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's CPU attribution: thread names as the roles and Kafka give them, and CPU landing on the right role. */
class RoleCpuTest {

    @Test
    void threadNamesMapToTheirRoles() {
        assertEquals("samplers", RoleCpu.role("kafka-producer-network-thread | ddpp-sampler-policy-0"));
        assertEquals("scorers", RoleCpu.role("kafka-coordinator-heartbeat-thread | ddpp-scorer-grid-center"));
        assertEquals("joiner", RoleCpu.role("ddpp-joiner-grid-demo-1a2b-StreamThread-1"));
        assertEquals("trainer", RoleCpu.role("reward-reader-grid-demo-1"));
        assertEquals("broker", RoleCpu.role("data-plane-kafka-request-handler-3"));
        assertEquals("broker", RoleCpu.role("group-coordinator-event-processor-0"));
        assertEquals("registry", RoleCpu.role("kafka-admin-client-thread | ddpp-registry-admin"));
        assertEquals("other", RoleCpu.role("micrometer-kafka-metrics"));
        assertEquals("other", RoleCpu.role("HttpClient-1-Worker-0"));
    }

    @Test
    void aBusyThreadsCpuGoesToItsRole() throws Exception {
        java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
        try (RoleCpu meter = RoleCpu.start()) {
            Thread busy = new Thread(() -> {
                long until = System.nanoTime() + 400_000_000L;
                double x = 0;
                while (System.nanoTime() < until) {
                    x += Math.sqrt(x + 1);
                }
                if (x < 0) {
                    throw new AssertionError();
                }
                spun.countDown();
                try {
                    measured.await(); // alive until measured: only live threads are sampled
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ddpp-sampler-test");
            busy.start();
            spun.await();
            Map<String, Double> seconds = meter.seconds();
            measured.countDown();
            busy.join();
            assertTrue(seconds.getOrDefault("samplers", 0.0) > 0.1, "samplers: " + seconds);
            assertTrue(seconds.getOrDefault("joiner", 0.0) < 0.05, "joiner: " + seconds);
        }
    }
}

package org.ddpp.ops;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running role alive until the JVM is asked to stop (SIGTERM, SIGINT), then closes the role
 * before the JVM exits, so brokers flush their logs and servers stop accepting cleanly.
 */
final class RunUntilStopped {

    private static final Logger LOG = LoggerFactory.getLogger(RunUntilStopped.class);

    private RunUntilStopped() {}

    /** Blocks until shutdown, closing {@code role} on the way out. */
    static void await(String name, AutoCloseable role) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                role.close();
                LOG.info("{} stopped cleanly", name);
            } catch (Exception e) {
                LOG.error("{} did not stop cleanly: {}", name, e.toString());
            } finally {
                stopped.countDown();
            }
        }, "ddpp-" + name + "-shutdown"));
        stopped.await();
    }
}

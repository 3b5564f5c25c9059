package org.ddpp.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle of every long-running role process: run until SIGTERM/SIGINT or until the role stops by
 * itself, then close it — within a bound, even when the broker or the registry is gone, so an orchestrator's
 * stop never hangs. Exit codes: 0 after a signal or when the role finished its work, 1 when it failed after
 * start (2, bad arguments or unreachable at start, is the command line's before a role exists).
 */
public final class RoleLifecycle {

    /** Default bound on closing a role after SIGTERM: 30 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(RoleLifecycle.class);

    /** A running role. {@link #close()} must be idempotent and safe from another thread. */
    public interface Role extends AutoCloseable {
        /** False once the role has stopped by itself (finished or failed). */
        boolean isRunning();

        /** Why the role stopped by itself; null while running or when it finished its work. */
        default Throwable failure() {
            return null;
        }
    }

    private RoleLifecycle() {}

    /** A {@link Role} from its parts: how to close it, whether it still runs, and why it stopped (null = finished). */
    public static Role role(AutoCloseable close, java.util.function.BooleanSupplier running,
            java.util.function.Supplier<Throwable> failure) {
        return new Role() {
            @Override
            public boolean isRunning() {
                return running.getAsBoolean();
            }

            @Override
            public Throwable failure() {
                return failure.get();
            }

            @Override
            public void close() throws Exception {
                close.close();
            }
        };
    }

    /**
     * Blocks until SIGTERM/SIGINT or until the role stops by itself; closes the role either way, waiting at most
     * {@code shutdownTimeout} for it. Returns 0 after a signal when the role closed within the bound (1 when it had
     * to be abandoned), 0 when the role finished its work, 1 when it failed. SIGTERM and SIGINT are caught as signals
     * (not as JVM shutdown), so the caller's {@code System.exit} reports these codes instead of 143/130; a JVM
     * shutdown for any other reason still closes the role through a shutdown hook.
     */
    public static int run(String name, Role role, Duration shutdownTimeout) throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        // the JVM's own exit (hooks, native libraries) must fit in the bound too
        Duration closeBudget = shutdownTimeout.minusSeconds(2).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : shutdownTimeout.minusSeconds(2);
        Thread hook = new Thread(() -> {
            if (closing.compareAndSet(false, true)) {
                closeWithin(name, role, closeBudget);
            }
        }, "ddpp-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onTermination(signalled::countDown);
        while (!signalled.await(200, TimeUnit.MILLISECONDS)) {
            if (!role.isRunning()) {
                if (!closing.compareAndSet(false, true)) {
                    return 0; // the JVM is shutting down and the hook closes the role
                }
                closeWithin(name, role, shutdownTimeout);
                Throwable failure = role.failure();
                if (failure != null) {
                    LOG.error("{} failed: {}", name, failure.toString());
                    return 1;
                }
                LOG.info("{} finished", name);
                return 0;
            }
        }
        LOG.info("{}: stop requested", name);
        if (!closing.compareAndSet(false, true)) {
            return 0;
        }
        return closeWithin(name, role, closeBudget) ? 0 : 1;
    }

    /**
     * Closes {@code role} on a thread of its own and waits at most {@code timeout}; returns whether it closed. A
     * close that overruns is abandoned (logged), so the JVM can exit on time.
     */
    public static boolean closeWithin(String name, AutoCloseable role, Duration timeout) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                role.close();
                LOG.info("{} stopped cleanly", name);
            } catch (Exception e) {
                LOG.error("{} did not stop cleanly: {}", name, e.toString());
            } finally {
                closed.countDown();
            }
        }, "ddpp-" + name + "-close");
        closer.setDaemon(true);
        closer.start();
        try {
            if (closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("{} did not stop within {} s; exiting anyway", name, timeout.toSeconds());
        return false;
    }
}

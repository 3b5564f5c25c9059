package org.ddpp.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pieces of a bounded stop that every role's {@code close()} needs: wait for a worker thread within a bound,
 * stop a child process within a bound, close several parts where one failing part does not keep the others open.
 * Each logs what overran or failed and carries on, so a close never hangs and never loses the rest of the
 * shutdown; {@link RoleLifecycle} bounds the whole close on top of this.
 */
public final class Shutdown {

    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {}

    /**
     * Waits at most {@code bound} for {@code thread} to end; returns whether it did. An interrupt of the caller ends
     * the wait early and stays set.
     */
    public static boolean await(Thread thread, Duration bound) {
        try {
            thread.join(Math.max(1, bound.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean stopped = !thread.isAlive();
        if (!stopped) {
            LOG.warn("thread {} did not stop within {} ms", thread.getName(), bound.toMillis());
        }
        return stopped;
    }

    /**
     * Waits at most {@code bound} for {@code thread}; if it still runs, interrupts it and waits at most
     * {@code grace} more. Returns whether it ended.
     */
    public static boolean stop(Thread thread, Duration bound, Duration grace) {
        if (await(thread, bound)) {
            return true;
        }
        LOG.warn("interrupting thread {}", thread.getName());
        thread.interrupt();
        return await(thread, grace);
    }

    /**
     * Asks {@code process} to stop (SIGTERM), waits at most {@code bound}, then kills it (SIGKILL) and waits at most
     * {@code grace}. Returns whether it ended.
     */
    public static boolean stop(Process process, Duration bound, Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warn("process {} did not stop within {} ms; killing it", process.pid(), bound.toMillis());
            return process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return !process.isAlive();
        }
    }

    /**
     * Closes {@code parts} in order; a part that throws is logged (with {@code what}) and the next ones are still
     * closed. Returns whether every part closed cleanly.
     */
    public static boolean closeAll(String what, AutoCloseable... parts) {
        boolean clean = true;
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                clean = false;
                LOG.warn("closing {}: {} failed: {}", what, part, e.toString());
            }
        }
        return clean;
    }
}

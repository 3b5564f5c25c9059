package org.ddpp.trainer.offline;

import org.slf4j.Logger;

/** Rate-limits progress lines of long loops to one every few seconds, plus the final one. */
final class ProgressLog {

    private final Logger log;
    private final long intervalNanos;
    private long last = System.nanoTime();

    ProgressLog(Logger log, double intervalSeconds) {
        this.log = log;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** Logs {@code message} when the interval has passed or {@code force} is set. */
    void maybe(boolean force, String format, Object... args) {
        long now = System.nanoTime();
        if (force || now - last >= intervalNanos) {
            last = now;
            log.info(format, args);
        }
    }
}

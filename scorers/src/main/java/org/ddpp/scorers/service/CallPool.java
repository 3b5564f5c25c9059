package org.ddpp.scorers.service;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run scorer calls, at most {@code threads} of them. A call abandoned at its timeout keeps its
 * thread until the scorer returns (Java cannot stop a thread that ignores interrupts), so an unbounded pool grows
 * by one thread per hung attempt; this one makes the next call wait for a free thread instead (back-pressure: the
 * batch waits, nothing is rejected or dropped). A thread is given back when its task has run, or was cancelled
 * before it ran.
 */
final class CallPool implements AutoCloseable {

    private final int threads;
    private final Semaphore free;
    private final AtomicInteger started = new AtomicInteger();
    private final ThreadPoolExecutor executor;

    CallPool(int threads, String threadName) {
        if (threads < 1) {
            throw new IllegalArgumentException("call threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.free = new Semaphore(threads);
        // at most `threads` tasks are ever submitted and not yet finished, so the queue never refuses one
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads), r -> {
            Thread t = new Thread(r, threadName + "-" + started.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                free.release();
            }
        };
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code call} on a pool thread once one is free, waiting at most {@code wait} for it; null when none
     * became free in time (every thread still runs an earlier call).
     */
    <T> Future<T> submit(Callable<T> call, Duration wait) throws InterruptedException {
        if (!free.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        try {
            return executor.submit(call);
        } catch (RuntimeException e) {
            free.release(); // shut down
            throw e;
        }
    }

    /** Threads running (or about to run) a call, including calls abandoned at their timeout. */
    int busy() {
        return threads - free.availablePermits();
    }

    /** Threads this pool has started so far (idle ones end after 30 s and are started again when needed). */
    int threadsStarted() {
        return started.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

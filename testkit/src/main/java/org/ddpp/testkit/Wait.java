package org.ddpp.testkit;

import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How every integration test waits: Awaitility, set up once here, instead of a hand-written sleep loop in each test.
 * A wait made here checks its condition at once and then every poll interval, in the calling thread (so a condition
 * may poll the test's own KafkaConsumer, which must not be used from two threads); an exception or a failed
 * assertion thrown by the condition ends the wait at once (Awaitility's {@code untilAsserted} would retry failed
 * assertions instead, so tests use {@code until}). Uncaught exceptions in other threads (a role's background
 * threads) are left to those threads, as without Awaitility. A limit only turns a hang into a failure; it is not a
 * speed assertion. {@link #explained} puts what is known only at the timeout (how much was read, a child process's
 * log) into the failure.
 */
public final class Wait {

    /** Pause between two checks unless a test says otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);

    private Wait() {}

    /** A wait of at most {@code limit}, checking every {@link #DEFAULT_POLL_INTERVAL}. */
    public static ConditionFactory atMost(Duration limit) {
        return atMost(limit, DEFAULT_POLL_INTERVAL);
    }

    /**
     * A wait of at most {@code limit}, checking every {@code pollInterval}; {@link Duration#ZERO} for conditions that
     * block by themselves, such as one that polls a consumer for 200 ms.
     */
    public static ConditionFactory atMost(Duration limit, Duration pollInterval) {
        return Awaitility.await()
                .atMost(limit)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(pollInterval)
                .dontCatchUncaughtExceptions();
    }

    /**
     * Runs {@code wait} (an Awaitility wait); when it times out, fails with an AssertionError whose message is
     * {@code onTimeout}'s, computed then, followed by Awaitility's. Any other failure passes through unchanged.
     */
    public static void explained(Supplier<String> onTimeout, Runnable wait) {
        try {
            wait.run();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(onTimeout.get() + " (" + e.getMessage() + ")", e);
        }
    }
}

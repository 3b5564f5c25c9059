package org.ddpp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A failing part does not keep the others open; a thread or process that ignores the polite stop is stopped anyway. */
class ShutdownTest {

    @Test
    void closeAllClosesEveryPartEvenAfterAFailure() {
        List<String> closed = new ArrayList<>();
        boolean clean = Shutdown.closeAll("test parts",
                () -> closed.add("first"),
                () -> { throw new IllegalStateException("broken"); },
                null,
                () -> closed.add("last"));
        assertFalse(clean);
        assertEquals(List.of("first", "last"), closed);
        assertTrue(Shutdown.closeAll("nothing"));
    }

    @Test
    void aThreadThatOutlivesTheBoundIsInterrupted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread sleeper = new Thread(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                // ends on interrupt
            }
        }, "sleeper");
        sleeper.start();
        assertFalse(Shutdown.await(sleeper, Duration.ofMillis(50)));
        assertTrue(Shutdown.stop(sleeper, Duration.ofMillis(50), Duration.ofSeconds(30)));
        assertFalse(sleeper.isAlive());
    }

    @Test
    void aProcessThatIgnoresTermIsKilled() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; while true; do sleep 1; done").start();
        Thread.sleep(200); // let the shell install its trap before the TERM
        assertTrue(Shutdown.stop(p, Duration.ofMillis(200), Duration.ofSeconds(30)));
        assertFalse(p.isAlive());
    }
}

package org.ddpp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Role meters read the role's own numbers, carry run and role, survive garbage collection and leave on close. */
class RoleMetersTest {

    @Test
    void functionMetersReadTheLiveNumbersEvenAfterGc() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LongAdder scored = new LongAdder();
        AtomicLong outstanding = new AtomicLong();
        try (RoleMeters meters = new RoleMeters(registry, "scorer", "r1")) {
            meters.counter("scores", scored::sum, "status", "ok");
            meters.gauge("outstanding", outstanding::get);
            meters.deadLetters(() -> 2, "scorer:x");
            for (int i = 0; i < 3; i++) {
                System.gc(); // method references are new objects: without a strong reference they would be collected
                Thread.sleep(20);
            }
            scored.add(5);
            outstanding.set(7);
            assertEquals(5.0, registry.get("ddpp.scorer.scores").tags("run", "r1", "role", "scorer", "status", "ok")
                    .functionCounter().count());
            assertEquals(7.0, registry.get("ddpp.scorer.outstanding").gauge().value());
            assertEquals(2.0, registry.get("ddpp.dead.letters").tags("stage", "scorer:x", "role", "scorer").functionCounter().count());
        }
        assertNull(registry.find("ddpp.scorer.scores").functionCounter(), "close removes the instance's meters");
    }
}

package org.ddpp.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ddpp.testkit.NetworkNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code ddpp bench failover}: a grid run on three KRaft brokers in network namespaces of their
 * own, through a SIGKILL of the busiest partition leader, a SIGKILL of the active controller and a network cut of a
 * broker; nothing may be lost or duplicated and the policy must still have moved toward the target.
 */
class MultiBrokerFailoverTest {

    @TempDir Path dir;

    @Test
    void leaderKillControllerKillAndANetworkCutLoseNothing() throws Exception {
        String why = NetworkNamespaces.unavailable();
        assertEquals(null, why, "this test creates network namespaces (it runs as root in CI): " + why);
        FailoverScenario.Result r = new FailoverScenario(new FailoverScenario.Settings(dir, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(3), Duration.ofMinutes(3),
                List.of(FailoverScenario.Fault.LEADER_KILL, FailoverScenario.Fault.CONTROLLER_KILL,
                        FailoverScenario.Fault.NETWORK_CUT))).run();
        System.out.println("failover: " + r.toJson());
        assertTrue(r.candidates() > 0, r.toString());
        assertEquals(0, r.lost(), "every candidate has a reward or a dead letter: " + r);
        assertEquals(0, r.duplicates(), "and only one: " + r);
        assertEquals(r.candidates(), r.rewards() + r.deadLetters(), r.toString());
        for (FailoverScenario.FaultResult f : r.faults()) {
            assertTrue(f.secondsWithoutProgress() >= 0, "rewards flowed again after " + f);
        }
        assertTrue(r.tvEnd() < r.tvStart(), "the policy moved toward the target: " + r);
    }
}

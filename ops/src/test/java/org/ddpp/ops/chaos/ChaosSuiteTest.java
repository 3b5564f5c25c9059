package org.ddpp.ops.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI version of {@code ddpp chaos}: the same run on the grid loop of separate processes, with faults back to
 * back until at least 20 (the deck holds every kind, so each is injected at least once), and no invariant may break:
 * every candidate ends as exactly one reward or dead letter, no policy version is announced with two sha256, the
 * trainer's intake matches the reward log, every poison record is dead-lettered by each stage that reads it, and
 * the loop recovers from every fault.
 *
 * <p>Seed 20261201 met a hanging transaction on its first fault (kill -9 of the broker during the joiner's commit)
 * before the joiner had its transaction watchdog; the {@code hang:*} faults now inject one on purpose.
 */
class ChaosSuiteTest {

    @TempDir Path dir;

    @Test
    void twentyFaultsBreakNoInvariant() throws Exception {
        ChaosSettings settings = ChaosSettings.builder()
                .opt(ChaosSettings.MINUTES, 0.0)
                .opt(ChaosSettings.MIN_FAULTS, 20)
                .opt(ChaosSettings.SEED, 20261201L)
                .opt(ChaosSettings.FAULT_GAP_MIN, Duration.ofMillis(300))
                .opt(ChaosSettings.FAULT_GAP_MAX, Duration.ofMillis(1500))
                .opt(ChaosSettings.RECOVERY_TIMEOUT, Duration.ofMinutes(2))
                .opt(ChaosSettings.JOIN_TIMEOUT, Duration.ofSeconds(10))
                .opt(ChaosSettings.WORK_DIR, dir)
                .build();
        Map<String, Object> report = ChaosRun.run(settings);
        String json = new ObjectMapper().writeValueAsString(report);
        System.out.println(json);
        assertTrue((int) report.get("faults_injected") >= 20, json);
        assertEquals(FaultKind.values().length, ((Map<?, ?>) report.get("faults_by_kind")).size(), "every kind once: " + json);
        assertEquals(0, report.get("invariant_violations"), json);
        assertEquals(List.of(), report.get("violations"), json);
        assertTrue((int) report.get("rewards") > 0 && (int) report.get("policy_versions") > 0, json);
    }
}

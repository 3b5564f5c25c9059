package org.ddpp.ops.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ddpp.ops.CliRun;
import org.junit.jupiter.api.Test;

/** {@code ddpp scorer} and {@code ddpp joiner} without a broker: help with defaults, the scorer list, bad input. */
class ScoringCommandsTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        CliRun scorer = run("scorer", "--help");
        assertEquals(0, scorer.code());
        for (String option : new String[] {"--bootstrap-servers", "--schema-registry", "--instance-id", "--batch-size",
                "--max-in-flight", "--parallelism", "--call-timeout", "--max-retries", "--retry-backoff",
                "--session-timeout", "--transaction-timeout", "--metrics-interval", "--topic-suffix", "--topic-prefix",
                "--client-config", "--startup-timeout", "--shutdown-timeout"}) {
            assertTrue(scorer.out().contains(option), option + " missing:\n" + scorer.out());
        }
        assertTrue(scorer.out().contains("(default: 64)"), scorer.out());
        CliRun joiner = run("joiner", "--help");
        String joinerHelp = joiner.out().replaceAll("\\s+", " ");
        assertEquals(0, joiner.code());
        for (String option : new String[] {"--bootstrap-servers", "--schema-registry", "--reward", "--log-reward-floor",
                "--join-timeout", "--settled-capacity", "--client-config", "--application-id", "--state-dir", "--in-memory-state"}) {
            assertTrue(joiner.out().contains(option), option + " missing:\n" + joiner.out());
        }
        assertTrue(joinerHelp.replace(" ", "").contains("gridgrid-half-plane=1,grid-center=1)"), joiner.out());
        assertTrue(joiner.out().contains("(default: -20.0)"), joiner.out());
        assertTrue(joiner.out().contains("(default: 60s)"), joiner.out());
    }

    @Test
    void listsTheScorersOnTheClassPath() {
        CliRun list = run("scorer", "--list");
        assertEquals(0, list.code());
        assertTrue(list.out().contains("grid-center\tversion 1\ttasks [grid]"), list.out());
        assertTrue(list.out().contains("grid-half-plane"), list.out());
    }

    @Test
    void badInputIsOneReadableLine() {
        CliRun unknown = run("scorer", "--scorer", "nope");
        assertEquals(2, unknown.code());
        // the known list is every scorer on the class path, sorted (built-in ones of each task included)
        assertEquals("ddpp scorer: unknown scorer 'nope' (known: " + String.join(", ", org.ddpp.scorers.Scorers.names()) + ")",
                unknown.err().trim());
        for (String name : new String[] {"grid-center", "grid-half-plane", "grid-checkerboard", "grid-annulus", "grid-coupling"}) {
            assertTrue(unknown.err().contains(name), unknown.err());
        }
        CliRun weights = run("joiner", "--reward", "grid-center=-1");
        assertEquals(2, weights.code());
        assertTrue(weights.err().trim().startsWith("ddpp joiner: weight of scorer grid-center must be finite and positive"),
                weights.err());
        assertEquals(1, weights.err().trim().lines().count());
    }
}

package org.ddpp.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.ddpp.ops.CliRun;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import org.ddpp.testkit.TestStack;
import org.junit.jupiter.api.Test;

/**
 * {@code ddpp steer} publishes a run's reward configurations as numbered versions on {@code ddpp.reward-config}
 * (other runs keep their own numbering), {@code --show} prints them, and bad input is one line with exit 2.
 */
class SteerCommandTest {

    private final TestStack stack = TestStack.get();
    private final String suffix = "-steer-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void versionsOfARunAreNumberedInOrderAndShown() {
        String run = "r1";
        CliRun first = steer("--run", run, "--reward", "grid-half-plane=1", "--reason", "start");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("v1 "), first.out());
        CliRun other = steer("--run", "r2", "--reward", "grid-center");
        assertEquals(0, other.code(), other.err());
        CliRun second = steer("--run", run, "--reward", "grid-center=2,grid-half-plane=0.5", "--floor", "-8", "--beta", "0.5");
        assertEquals(0, second.code(), second.err());

        ClusterConnection connection = stack.connection(TopicNames.isolated("", suffix));
        List<RewardConfig> history = new RewardConfigLog(connection, java.time.Duration.ofSeconds(30)).history(run);
        assertEquals(List.of(1L, 2L), history.stream().map(RewardConfig::getVersion).toList());
        assertEquals("start", history.get(0).getReason());
        RewardComposition composition = RewardConfigLog.composition(history.get(1));
        assertEquals(-8.0, composition.floor());
        assertEquals(List.of(new RewardComposition.WeightedScorer("grid-center", 1.0),
                new RewardComposition.WeightedScorer("grid-half-plane", 0.25)), composition.scorers(), "beta folded into the weights");
        assertEquals(List.of(1L), new RewardConfigLog(connection, java.time.Duration.ofSeconds(30)).history("r2").stream()
                .map(RewardConfig::getVersion).toList(), "each run numbers its own versions");

        CliRun show = steer("--run", run, "--show");
        assertEquals(0, show.code(), show.err());
        assertEquals(2, show.out().lines().filter(l -> l.startsWith("v")).count(), show.out());
        assertTrue(show.out().contains("grid-center=2.0,grid-half-plane=0.5  floor -8.0  beta 0.5"), show.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"--run", "r", "--reward", "a=-1"}, new String[] {"--run", "r"},
                new String[] {"--run", "r", "--reward", "a", "--beta", "0"})) {
            CliRun run = steer(args);
            assertEquals(2, run.code(), String.join(" ", args) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
    }

    private CliRun steer(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("steer", "--bootstrap-servers", stack.bootstrap(),
                "--schema-registry", stack.registry.url(), "--topic-suffix", suffix));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}

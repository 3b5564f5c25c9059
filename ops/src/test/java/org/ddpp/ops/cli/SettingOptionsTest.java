package org.ddpp.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddpp.ops.CliRun;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.junit.jupiter.api.Test;

/**
 * The generated options: every setting of every role is a flag of its command with the definition's default, bad
 * text and bad values are one line with exit 2, and {@code docs/configuration.md} is the generated reference.
 */
class SettingOptionsTest {

    @Test
    void everySettingIsAFlagWithItsDefault() {
        for (SettingGroup group : SettingsCommand.GROUPS) {
            // the shared connection settings are checked on one command that has them
            String name = group == ConnectionOptions.GROUP ? "joiner" : group.name();
            String[] command = (name + " --help").split(" ");
            String help = CliRun.of(command).out().replaceAll("\\s+", " ");
            for (Setting<?> s : group.settings()) {
                assertTrue(help.contains(s.flag()), group.name() + " lacks " + s.flag() + ":\n" + help);
                if (!s.isSwitch() && s.defaultText() != null) {
                    // picocli wraps long defaults at punctuation (a ';' list): compare without the white space
                    assertTrue(help.replace(" ", "").contains(("(default: " + s.defaultText() + ")").replace(" ", "")),
                            group.name() + " " + s.flag() + ":\n" + help);
                }
            }
        }
    }

    @Test
    void badTextAndBadValuesAreOneLine() {
        CliRun bare = CliRun.of("joiner", "--join-timeout", "30");
        assertEquals(2, bare.code());
        assertEquals(1, bare.err().strip().lines().count(), bare.err());
        assertTrue(bare.err().contains("'30' is not a duration; write it with a unit"), bare.err());
        CliRun zero = CliRun.of("joiner", "--threads", "0");
        assertEquals(2, zero.code());
        assertEquals("ddpp joiner: threads must be positive, got 0", zero.err().strip());
        CliRun share = CliRun.of("trainer", "--pretrained", "p", "--state-dir", "s", "--exploration-share", "2");
        assertEquals(2, share.code());
        assertEquals("ddpp trainer: exploration share must be in [0, 1], got 2.0", share.err().strip());
        CliRun missing = CliRun.of("finetune", "--pretrained", "p");
        assertEquals(2, missing.code());
        assertEquals("ddpp finetune: Missing required option: '--out=<out>' (see 'ddpp finetune --help')", missing.err().strip());
        CliRun port = CliRun.of("registry", "--port", "70000");
        assertEquals(2, port.code());
        assertEquals("ddpp registry: port must be between 0 and 65535, got 70000", port.err().strip());
        CliRun gap = CliRun.of("chaos", "--fault-gap-min", "5s");
        assertEquals(2, gap.code());
        assertEquals("ddpp chaos: --fault-gap-min must not exceed --fault-gap-max, got 5s and 1500ms", gap.err().strip());
    }

    /** Before the fix every switch came out true when it was not given (the joiner ran in memory, benches quick). */
    @Test
    void aSwitchIsOffUnlessGiven() {
        assertEquals(false, switchOf("joiner"));
        assertEquals(true, switchOf("joiner", "--in-memory-state"));
    }

    private static boolean switchOf(String... args) {
        picocli.CommandLine cl = org.ddpp.ops.DdppCommand.commandLine();
        cl.parseArgs(args);
        return SettingOptions.parsed(cl.getSubcommands().get("joiner").getCommandSpec(),
                org.ddpp.scorers.joiner.JoinerSettings.ALL).get(org.ddpp.scorers.joiner.JoinerSettings.IN_MEMORY_STATE);
    }

    /**
     * A task bench or demo without {@code --residual} must leave the profile's residual standing: picocli reports every
     * option's default as its value, so before {@code parsed(spec, settings, onlyIfGiven)} the default (position)
     * replaced the joint residual of the protein profile (GOR sheet +7 % instead of +59 %).
     */
    @Test
    void lossOptionsNotGivenStayUnset() {
        for (String command : new String[] {"mnist", "protein"}) {
            assertEquals(false, lossSettings("bench", command).isSet(org.ddpp.trainer.learner.LossSettings.RESIDUAL), command);
            org.ddpp.runtime.config.Settings given = lossSettings("bench", command, "--residual", "joint");
            assertEquals(true, given.isSet(org.ddpp.trainer.learner.LossSettings.RESIDUAL));
            assertEquals("joint", given.get(org.ddpp.trainer.learner.LossSettings.RESIDUAL));
        }
    }

    private static org.ddpp.runtime.config.Settings lossSettings(String... args) {
        picocli.CommandLine cl = org.ddpp.ops.DdppCommand.commandLine();
        cl.parseArgs(args);
        picocli.CommandLine sub = cl.getSubcommands().get(args[0]).getSubcommands().get(args[1]);
        return SettingOptions.parsed(sub.getCommandSpec(), OfflineSettings.BENCH_TASK_COMMAND, org.ddpp.trainer.learner.LossSettings.ALL);
    }

    @Test
    void theConfigurationReferenceIsUpToDate() throws Exception {
        Path page = Path.of("..", "docs", "configuration.md");
        String expected = SettingsCommand.markdown();
        assertEquals(expected, Files.exists(page) ? Files.readString(page) : "",
                "docs/configuration.md is out of date with the setting definitions: run ./ddpp settings > docs/configuration.md");
        assertEquals(expected, CliRun.of("settings").out());
    }
}

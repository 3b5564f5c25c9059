package org.ddpp.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A setting's default, parsing and validation; values held immutably; the generated reference. */
class SettingsTest {

    static final Setting<Duration> TIMEOUT = Setting.duration("join-timeout").defaultValue("60s").positive()
            .doc("How long to wait.").build();
    static final Setting<Integer> THREADS = Setting.integer("threads").defaultValue("1").atLeast(1).doc("Threads.").build();
    static final Setting<Boolean> IN_MEMORY = Setting.flag("in-memory").doc("Keep it in memory.").build();
    static final Setting<Path> DIR = Setting.path("state-dir").doc("Where state goes.").build();

    @Test
    void unsetSettingsReadAsTheirDefault() {
        Settings s = Settings.empty();
        assertEquals(Duration.ofSeconds(60), s.get(TIMEOUT));
        assertEquals(1, s.get(THREADS));
        assertFalse(s.get(IN_MEMORY));
        assertNull(s.get(DIR));
        assertFalse(s.isSet(TIMEOUT));
        assertEquals("--join-timeout", TIMEOUT.flag());
        assertEquals("60s", TIMEOUT.defaultText());
        assertTrue(IN_MEMORY.isSwitch());
    }

    @Test
    void withReturnsAValidatedCopy() {
        Settings base = Settings.empty();
        Settings set = base.with(TIMEOUT, Duration.ofSeconds(5)).with(THREADS, 3);
        assertEquals(Duration.ofSeconds(5), set.get(TIMEOUT));
        assertEquals(3, set.get(THREADS));
        assertEquals(Duration.ofSeconds(60), base.get(TIMEOUT), "the original is unchanged");
        assertTrue(set.isSet(THREADS));
        assertEquals(Duration.ofSeconds(60), set.with(TIMEOUT, null).get(TIMEOUT), "null goes back to the default");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> base.with(TIMEOUT, Duration.ZERO));
        assertEquals("join timeout must be positive, got 0s", zero.getMessage());
        assertEquals("threads must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> base.with(THREADS, 0)).getMessage());
    }

    @Test
    void badTextIsOneReadableLine() {
        assertEquals(Duration.ofMillis(500), TIMEOUT.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), TIMEOUT.parse("2m"));
        assertEquals(Duration.ofSeconds(30), TIMEOUT.parse("PT30S"));
        assertEquals("'30' is not a duration; write it with a unit, e.g. 500ms, 30s, 2m or 1h",
                assertThrows(IllegalArgumentException.class, () -> TIMEOUT.parse("30")).getMessage());
        assertEquals("'x' is not an int", assertThrows(IllegalArgumentException.class, () -> THREADS.parse("x")).getMessage());
        assertEquals("'maybe' is not a boolean; write true or false",
                assertThrows(IllegalArgumentException.class, () -> IN_MEMORY.parse("maybe")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("Bad_Key").doc("x").build());
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("n").defaultValue("0").positive().doc("x").build(),
                "a default that breaks its own rule is refused");
    }

    @Test
    void durationsWriteBackAsTheyAreRead() {
        for (String text : new String[] {"500ms", "30s", "2m", "1h", "1500ms"}) {
            assertEquals(text, Durations.format(Durations.parse(text)));
        }
    }

    @Test
    void referenceListsEveryFlagWithDefaultAndDoc() {
        String page = ConfigurationReference.markdown("Intro.", List.of(SettingGroup.of("joiner", "The joiner.", TIMEOUT, THREADS, DIR)));
        assertTrue(page.contains("## joiner"), page);
        assertTrue(page.contains("| `--join-timeout` | duration | `60s` | positive | How long to wait. |"), page);
        assertTrue(page.contains("| `--state-dir` | path | — |  | Where state goes. |"), page);
        assertThrows(IllegalArgumentException.class, () -> SettingGroup.of("x", "x", THREADS, THREADS));
    }
}

package org.ddpp.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ddpp.registry.Pbkdf2Password;
import org.ddpp.registry.RegistryRole;
import org.ddpp.registry.RegistryUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ddpp registry} and its users file: one-line errors with exit code 2 for a missing or malformed users file
 * or key store, and {@code ddpp registry hash-password}. (The users file itself is tested in the registry module.)
 */
class RegistryCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCommandRefusesAMissingOrMalformedUsersFileWithOneLineAndExit2() throws Exception {
        Path missing = dir.resolve("missing.properties");
        assertOneLineExit2(CliRun.of("registry", "--port", "0", "--users", missing.toString()), "does not exist");
        Path malformed = Files.writeString(dir.resolve("users.properties"), "alice: secret,superuser\n");
        assertOneLineExit2(CliRun.of("registry", "--port", "0", "--users", malformed.toString()), "unknown role 'superuser'");
        assertOneLineExit2(CliRun.of("registry", "--port", "0", "--tls-keystore", dir.resolve("none.p12").toString()),
                "does not exist");
        Path notAStore = Files.writeString(dir.resolve("garbage.p12"), "not a key store");
        assertOneLineExit2(CliRun.of("registry", "--port", "0", "--tls-keystore", notAStore.toString(),
                "--tls-keystore-password", "x"), "cannot use TLS key store");
        assertOneLineExit2(CliRun.of("registry", "--port", "0", "--tls-keystore-password", "x"), "needs --tls-keystore");
        CliRun help = CliRun.of("registry", "--help");
        assertTrue(help.out().contains("--users") && help.out().contains("DDPP_REGISTRY_TLS_KEYSTORE_PASSWORD")
                && help.out().contains("hash-password"), help.out());
    }

    private static void assertOneLineExit2(CliRun run, String expected) {
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("ddpp registry: ") && run.err().contains(expected), run.err());
    }

    @Test
    void hashPasswordPrintsAFormTheUsersFileAccepts() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("pa ss,word\n".getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("registry", "hash-password");
            assertEquals(0, run.code(), run.err());
            String hash = run.out().strip();
            assertTrue(hash.startsWith(Pbkdf2Password.PREFIX + Pbkdf2Password.DEFAULT_ITERATIONS + ":"), hash);
            RegistryUsers users = RegistryUsers.parse("erin: " + hash + ",read-only", "test");
            assertEquals(Optional.of(RegistryRole.READ_ONLY), users.authenticate("erin", "pa ss,word"));
        } finally {
            System.setIn(stdin);
        }
    }
}

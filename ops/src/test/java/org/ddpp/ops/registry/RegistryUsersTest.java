package org.ddpp.ops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ddpp.ops.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file (format, roles, hashed passwords, mistakes) and the registry command's one-line errors for it. */
class RegistryUsersTest {

    @TempDir
    Path dir;

    @Test
    void readsUsersRolesCommentsAndBothPasswordForms() {
        String hash = Pbkdf2Password.hash("s3cret".toCharArray(), 1_000);
        RegistryUsers users = RegistryUsers.parse(String.join("\n",
                "# comment", "! also a comment", "",
                "alice: a-pass,read-write",
                "bob = b-pass , readonly",
                "carol:" + hash + ",READ_ONLY,read-write",
                "dave: d-pass,read-only"), "test");
        assertEquals(4, users.size());
        assertEquals(Optional.of(RegistryRole.READ_WRITE), users.authenticate("alice", "a-pass"));
        assertEquals(Optional.of(RegistryRole.READ_ONLY), users.authenticate("bob", "b-pass"));
        assertEquals(Optional.of(RegistryRole.READ_WRITE), users.authenticate("carol", "s3cret"));
        // the verified-password memo must not make a wrong password pass afterwards
        assertEquals(Optional.empty(), users.authenticate("carol", "s3cret!"));
        assertEquals(Optional.of(RegistryRole.READ_WRITE), users.authenticate("carol", "s3cret"));
        assertEquals(Optional.empty(), users.authenticate("alice", "b-pass"));
        assertEquals(Optional.empty(), users.authenticate("alice", "a-pas"));
        assertEquals(Optional.empty(), users.authenticate("alice", ""));
        assertEquals(Optional.empty(), users.authenticate("nobody", "a-pass"));
        assertEquals(Optional.empty(), users.authenticate("Alice", "a-pass"));
    }

    @Test
    void mistakesNameTheFileAndTheUser() {
        assertMistake("alice: a-pass", "user 'alice'", "no role");
        assertMistake("alice: ,read-write", "user 'alice'", "no password");
        assertMistake("alice: a-pass,admin", "user 'alice'", "unknown role 'admin'");
        assertMistake("alice", "user 'alice'", "no password");
        assertMistake("alice: OBF:1v2j1uum1xtv,read-write", "user 'alice'", "OBF: is not supported");
        assertMistake("alice: PBKDF2-SHA256:many:c2FsdHNhbHQ=:aGFzaA==,read-write", "user 'alice'", "PBKDF2-SHA256");
        assertMistake("# nobody here\n", "has no users", "");
    }

    private static void assertMistake(String text, String part1, String part2) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegistryUsers.parse(text, "users.txt"));
        assertTrue(e.getMessage().startsWith("users file users.txt"), e.getMessage());
        assertTrue(e.getMessage().contains(part1) && e.getMessage().contains(part2), e.getMessage());
    }

    @Test
    void aHashNeverHoldsThePasswordAndSaltsDiffer() {
        String a = Pbkdf2Password.hash("same".toCharArray(), 1_000);
        String b = Pbkdf2Password.hash("same".toCharArray(), 1_000);
        assertTrue(a.startsWith(Pbkdf2Password.PREFIX + "1000:"), a);
        assertFalse(a.contains("same"));
        assertFalse(a.equals(b));
        assertTrue(StoredPassword.parse(a).matches("same") && StoredPassword.parse(b).matches("same"));
        assertFalse(StoredPassword.parse(a).matches("Same"));
    }

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

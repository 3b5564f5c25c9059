package org.ddpp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The users file: format, roles, hashed passwords, and mistakes that name the file and the user. */
class RegistryUsersTest {

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
}

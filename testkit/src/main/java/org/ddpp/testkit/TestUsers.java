package org.ddpp.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.ddpp.registry.Pbkdf2Password;

/**
 * A users file written at test time with fresh random passwords (never committed): {@code writer}
 * (read-write, plaintext), {@code reader} (read-only, plaintext) and {@code hashed} (read-write, PBKDF2).
 */
public final class TestUsers {

    private static final SecureRandom RANDOM = new SecureRandom();

    public final Path file;
    public final String writerPassword = randomPassword();
    public final String readerPassword = randomPassword();
    public final String hashedPassword = randomPassword();

    private TestUsers(Path dir) throws IOException {
        this.file = dir.resolve("registry-users.properties");
        Files.writeString(file, String.join("\n",
                "# written by TestUsers; passwords are random per run",
                "writer: " + writerPassword + ",read-write",
                "reader: " + readerPassword + ", read-only",
                "hashed: " + Pbkdf2Password.hash(hashedPassword.toCharArray(), 1_000) + ",readwrite",
                ""));
    }

    /** Writes the file into a new temporary directory. */
    public static TestUsers create() {
        try {
            return new TestUsers(Files.createTempDirectory("ddpp-registry-users"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random password without {@code :} or {@code ,} (base64url of 18 random bytes). */
    public static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code writer:<password>} for {@code basic.auth.user.info}. */
    public String writer() {
        return "writer:" + writerPassword;
    }

    /** {@code reader:<password>} for {@code basic.auth.user.info}. */
    public String reader() {
        return "reader:" + readerPassword;
    }
}

package org.ddpp.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A password as written in a users file: plaintext (allowed, as in Jetty's and Confluent's property-file
 * login) or a {@link Pbkdf2Password} hash. Every check runs in constant time with respect to the password's
 * content, so an attacker cannot learn it byte by byte from response times.
 */
public interface StoredPassword {

    /** Whether {@code candidate} is this password. */
    boolean matches(String candidate);

    /**
     * Reads the password part of a users-file entry: {@code PBKDF2-SHA256:…} is a hash, anything else plaintext.
     * Jetty's obfuscated and digest forms ({@code OBF:}, {@code MD5:}, {@code CRYPT:}) are refused rather than
     * taken as literal passwords.
     */
    static StoredPassword parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty password");
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith(Pbkdf2Password.PREFIX)) {
            return Pbkdf2Password.parse(text);
        }
        for (String jetty : new String[] {"OBF:", "MD5:", "CRYPT:"}) {
            if (upper.startsWith(jetty)) {
                throw new IllegalArgumentException("password form " + jetty + " is not supported (use plaintext or "
                        + Pbkdf2Password.PREFIX + "…, see 'ddpp registry hash-password')");
            }
        }
        return new Plain(sha256(text));
    }

    /** SHA-256 of the UTF-8 bytes: equal-length digests make {@link MessageDigest#isEqual} constant-time. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plaintext password, kept only as its SHA-256 digest. */
    record Plain(byte[] digest) implements StoredPassword {
        @Override
        public boolean matches(String candidate) {
            return MessageDigest.isEqual(digest, sha256(candidate));
        }
    }
}

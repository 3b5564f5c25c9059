package org.ddpp.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hashed users-file password, {@code PBKDF2-SHA256:<iterations>:<base64 salt>:<base64 hash>} (PBKDF2 with
 * HMAC-SHA256 from the JDK), so that a users file need not hold plaintext. {@link #hash} writes one
 * ({@code ddpp registry hash-password}). A full PBKDF2 run costs tens to hundreds of milliseconds and clients
 * send credentials with every request, so the last accepted password is remembered as an HMAC under a key
 * that lives only in this process; later requests with it are checked against that in constant time.
 */
public final class Pbkdf2Password implements StoredPassword {

    /** Prefix of the hashed form. */
    public static final String PREFIX = "PBKDF2-SHA256:";
    /** Iterations {@link #hash(char[])} uses: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROCESS_KEY = randomBytes(32);

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;
    private volatile byte[] acceptedMac;

    private Pbkdf2Password(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Parses the {@link #PREFIX} form; a wrong field count, iteration count or base64 is an IllegalArgumentException. */
    static Pbkdf2Password parse(String text) {
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a hashed password must be " + PREFIX + "<iterations>:<salt>:<hash>");
        }
        try {
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] hash = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1 || salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("need iterations >= 1, a salt of >= 8 bytes and a hash of >= 16 bytes");
            }
            return new Pbkdf2Password(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + PREFIX + " password: " + e.getMessage(), e);
        }
    }

    /** A new {@link #PREFIX} line part for {@code password} with a random 16-byte salt and {@link #DEFAULT_ITERATIONS}. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /** As {@link #hash(char[])} with the given iteration count (tests use fewer). */
    public static String hash(char[] password, int iterations) {
        byte[] salt = randomBytes(16);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(derive(password, salt, iterations, 32));
    }

    @Override
    public boolean matches(String candidate) {
        byte[] mac = mac(candidate);
        byte[] accepted = acceptedMac;
        if (accepted != null && MessageDigest.isEqual(accepted, mac)) {
            return true;
        }
        boolean ok = MessageDigest.isEqual(hash, derive(candidate.toCharArray(), salt, iterations, hash.length));
        if (ok) {
            acceptedMac = mac;
        }
        return ok;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mac(String candidate) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PROCESS_KEY, "HmacSHA256"));
            return mac.doFinal(candidate.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

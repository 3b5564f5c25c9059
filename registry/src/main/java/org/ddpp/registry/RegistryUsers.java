package org.ddpp.registry;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The users of a secured registry, read from a {@code --users} file in the format of Jetty's property-file
 * login (which Confluent's registry uses): one {@code user: password,role} per line, {@code #} or {@code !}
 * starts a comment, parsed by {@link Properties} (so {@code =} also separates and {@code \} escapes). The role
 * is {@code read-only} or {@code read-write} ({@link RegistryRole}); several roles may be listed, the widest
 * wins. The password is plaintext or {@code PBKDF2-SHA256:…} ({@link Pbkdf2Password}); it cannot contain a
 * comma. A missing, empty or malformed file is an IllegalArgumentException naming the file and the user.
 */
public final class RegistryUsers {

    private record User(StoredPassword password, RegistryRole role) {}

    /** Compared against when the user is unknown, so unknown users take as long as plaintext ones. */
    private static final StoredPassword NOBODY = StoredPassword.parse("\0no such user\0");

    private final Map<String, User> users;

    private RegistryUsers(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /** Reads and checks a users file. */
    public static RegistryUsers load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("users file " + file + " does not exist or is not a file");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses users-file text; {@code source} names it in error messages. */
    public static RegistryUsers parse(String text, String source) {
        try {
            return parse(new StringReader(text), source);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RegistryUsers parse(Reader in, String source) throws IOException {
        Properties properties = new Properties();
        try {
            properties.load(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("users file " + source + ": " + e.getMessage(), e);
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            try {
                users.put(name, user(properties.getProperty(name)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("users file " + source + ": user '" + name + "': " + e.getMessage(), e);
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("users file " + source + " has no users (one 'user: password,role' per line)");
        }
        return new RegistryUsers(users);
    }

    private static User user(String value) {
        String[] parts = value.split(",", -1);
        String password = parts[0].trim();
        if (password.isEmpty()) {
            throw new IllegalArgumentException("no password (expected 'user: password,role')");
        }
        if (parts.length < 2) {
            throw new IllegalArgumentException("no role (expected 'user: password,read-only' or 'user: password,read-write')");
        }
        RegistryRole role = RegistryRole.READ_ONLY;
        for (int i = 1; i < parts.length; i++) {
            if (RegistryRole.parse(parts[i]) == RegistryRole.READ_WRITE) {
                role = RegistryRole.READ_WRITE;
            }
        }
        return new User(StoredPassword.parse(password), role);
    }

    /** The user's role if {@code user} exists and {@code password} is theirs. */
    public Optional<RegistryRole> authenticate(String user, String password) {
        User known = users.get(user);
        if (known == null) {
            NOBODY.matches(password);
            return Optional.empty();
        }
        return known.password().matches(password) ? Optional.of(known.role()) : Optional.empty();
    }

    /** How many users the file defines. */
    public int size() {
        return users.size();
    }
}

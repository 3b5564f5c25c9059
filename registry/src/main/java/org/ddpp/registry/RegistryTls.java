package org.ddpp.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The key store that makes the registry serve https only: checked here (file, password, type, a private key
 * inside) so a mistake is one readable IllegalArgumentException before anything starts, then handed to
 * Micronaut as {@code micronaut.server.ssl.*} settings.
 */
public record RegistryTls(Path keyStore, String password, String type) {

    /** Default key store type. */
    public static final String DEFAULT_TYPE = "PKCS12";

    public RegistryTls {
        Objects.requireNonNull(keyStore, "keyStore");
        type = type == null || type.isBlank() ? DEFAULT_TYPE : type.trim();
    }

    /** Opens the key store once and checks it holds a private key; IllegalArgumentException if not. */
    void check() {
        if (!Files.isRegularFile(keyStore)) {
            throw new IllegalArgumentException("TLS key store " + keyStore + " does not exist or is not a file");
        }
        if (password != null && password.contains("${")) {
            // Micronaut would read it as a property placeholder
            throw new IllegalArgumentException("TLS key store password must not contain '${'");
        }
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("it holds no private key");
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use TLS key store " + keyStore + " (" + type + "): " + e.getMessage(), e);
        }
    }

    /** Micronaut settings for https only on {@code port} (0 or less: a free one). */
    Map<String, Object> micronautProperties(int port) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.ssl.enabled", true);
        props.put("micronaut.server.ssl.port", port > 0 ? port : -1);
        props.put("micronaut.server.ssl.key-store.path", "file:" + keyStore.toAbsolutePath());
        props.put("micronaut.server.ssl.key-store.type", type);
        if (password != null) {
            props.put("micronaut.server.ssl.key-store.password", password);
        }
        props.put("micronaut.server.dual-protocol", false);
        return props;
    }

    @Override
    public String toString() {
        return "RegistryTls[keyStore=" + keyStore + ", type=" + type + "]";
    }
}

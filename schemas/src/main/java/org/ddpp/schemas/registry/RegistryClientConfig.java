package org.ddpp.schemas.registry;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Settings of a {@link SchemaRegistryClient}: where the registry is, how long to wait, how often to retry and
 * how to authenticate. Built with {@link #builder()}: {@code setUrl} is required, every {@code opt*} has the
 * documented default.
 */
public record RegistryClientConfig(
        URI url,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Optional<String> basicAuthUserInfo,
        Optional<SSLContext> sslContext) {

    /** Default connect timeout: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default timeout of one request: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default retries after the first attempt (network errors, HTTP 429 and 5xx): 3. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Default first back-off, doubled per retry: 100 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Default ceiling of the back-off: 2 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

    public RegistryClientConfig {
        Objects.requireNonNull(url, "url");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shorthand for a config with every default and the given base URL. */
    public static RegistryClientConfig of(String url) {
        return builder().setUrl(url).build();
    }

    /** Builds a {@link RegistryClientConfig}. */
    public static final class Builder {
        private URI url;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private String basicAuthUserInfo;
        private SSLContext sslContext;

        /** Base URL of the registry, e.g. {@code http://127.0.0.1:8081} (required). */
        public Builder setUrl(String url) {
            String trimmed = url.trim();
            this.url = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            return this;
        }

        public Builder optConnectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder optRequestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder optMaxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        public Builder optBackoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** HTTP basic authentication as {@code user:password} (Confluent's {@code basic.auth.user.info}). */
        public Builder optBasicAuth(String userInfo) {
            this.basicAuthUserInfo = userInfo == null || userInfo.isBlank() ? null : userInfo;
            return this;
        }

        /** TLS context for {@code https} registries (default: the JVM's). */
        public Builder optSslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** TLS trust store (JKS or PKCS12 file) holding the registry's certificate authority. */
        public Builder optTrustStore(Path file, String password, String type) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance(type == null || type.isBlank() ? KeyStore.getDefaultType() : type);
                store.load(in, password == null ? null : password.toCharArray());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                this.sslContext = context;
                return this;
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot load trust store " + file + ": " + e.getMessage(), e);
            }
        }

        public RegistryClientConfig build() {
            if (url == null) {
                throw new IllegalArgumentException("schema registry url is required");
            }
            return new RegistryClientConfig(url, connectTimeout, requestTimeout, maxRetries, initialBackoff,
                    maxBackoff, Optional.ofNullable(basicAuthUserInfo), Optional.ofNullable(sslContext));
        }
    }
}

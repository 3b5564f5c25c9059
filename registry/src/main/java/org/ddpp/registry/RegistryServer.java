package org.ddpp.registry;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.LocalPorts;
import org.ddpp.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Confluent-compatible schema registry: a Micronaut HTTP server in front of a
 * {@link SchemaRegistryService} whose storage is a compacted Kafka topic. Stateless by design: start it
 * against the same cluster and topic and it serves the same ids. Used by {@code ddpp registry}, {@code ddpp demo}
 * and tests; built with {@link #builder()}. Open and on plain http by default; {@link Builder#optUsers} adds
 * basic authentication with read-only and read-write users, {@link Builder#optTls} serves https only.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final SchemaLog log;
    private final String host;
    private final String scheme;

    private RegistryServer(ApplicationContext context, EmbeddedServer server, SchemaLog log, String host, String scheme) {
        this.context = context;
        this.server = server;
        this.log = log;
        this.host = host;
        this.scheme = scheme;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}, or {@code https://…} with {@link Builder#optTls}. */
    public String url() {
        return scheme + "://" + host + ":" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public synchronized void close() {
        if (!server.isRunning()) {
            return; // closed before: closing twice is harmless
        }
        LOG.info("stopping schema registry at {}", url());
        server.stop();
        context.close();
        log.close();
    }

    /** Builds and starts a {@link RegistryServer}. */
    public static final class Builder {
        /** Default listen host. */
        public static final String DEFAULT_HOST = "127.0.0.1";
        /** Default time to wait for the storage topic on start and per write: 30 s. */
        public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(30);

        private ClusterConnection connection;
        private String host = DEFAULT_HOST;
        private int port;
        private String topic = Topics.SCHEMAS.name();
        private Duration storeTimeout = DEFAULT_STORE_TIMEOUT;
        private Path usersFile;
        private RegistryTls tls;

        /** Kafka cluster holding the storage topic, with its client security settings (required). */
        public Builder setConnection(ClusterConnection connection) {
            this.connection = connection;
            return this;
        }

        /** An unsecured Kafka cluster holding the storage topic (shorthand for {@link #setConnection}). */
        public Builder setBootstrapServers(String bootstrapServers) {
            this.connection = ClusterConnection.local(bootstrapServers, "http://unused");
            return this;
        }

        /** HTTP port; default 0 picks a free one. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Host to listen on; default 127.0.0.1. */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Storage topic; default {@code _schemas}. */
        public Builder optTopic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder optStoreTimeout(Duration timeout) {
            this.storeTimeout = timeout;
            return this;
        }

        /**
         * Requires HTTP basic authentication from the users in this file ({@link RegistryUsers} describes the
         * format); default: none, the registry is open. A missing or malformed file fails {@link #start()} with
         * an IllegalArgumentException before anything starts.
         */
        public Builder optUsers(Path usersFile) {
            this.usersFile = usersFile;
            return this;
        }

        /** Serves https only, with the key and certificate in this key store; default: plain http. */
        public Builder optTls(RegistryTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Reads the users file and opens the TLS key store, so a bad file is reported (one readable
         * {@link IllegalArgumentException}) before anything connects to Kafka; {@link #start()} does it too.
         */
        public Builder checkSettings() {
            if (usersFile != null) {
                RegistryUsers.load(usersFile);
            }
            if (tls != null) {
                tls.check();
            }
            return this;
        }

        /** Replays the storage topic, then starts serving HTTP. */
        public RegistryServer start() {
            Objects.requireNonNull(connection, "connection is required");
            RegistryUsers users = usersFile == null ? null : RegistryUsers.load(usersFile);
            if (tls != null) {
                tls.check();
            }
            if (port > 0) {
                LocalPorts.requireFree(host, port);
            }
            RegistryState state = new RegistryState();
            SchemaLog log = new SchemaLog(connection, topic, storeTimeout, state);
            try {
                log.start();
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("micronaut.application.name", "ddpp-registry");
                props.put("micronaut.server.host", host);
                props.put("micronaut.server.port", port > 0 ? port : -1);
                if (tls != null) {
                    props.putAll(tls.micronautProperties(port));
                }
                ApplicationContextBuilder contextBuilder = ApplicationContext.builder()
                        .properties(props)
                        .deduceEnvironment(false)
                        .singletons(new SchemaRegistryService(state, log));
                if (users != null) {
                    // enables BasicAuthFilter
                    contextBuilder.singletons(users);
                }
                ApplicationContext context = contextBuilder.start();
                EmbeddedServer server = context.getBean(EmbeddedServer.class);
                server.start();
                RegistryServer registry = new RegistryServer(context, server, log, host, tls == null ? "http" : "https");
                LOG.info("schema registry ready at {} (storage {} on {}; {})", registry.url(), topic, connection.bootstrapServers(),
                        users == null ? "open, no authentication" : "basic authentication, " + users.size() + " users from " + usersFile);
                return registry;
            } catch (RuntimeException e) {
                log.close();
                throw e;
            }
        }
    }
}

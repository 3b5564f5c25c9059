package org.ddpp.testkit;

import java.nio.file.Path;
import java.util.Objects;
import org.ddpp.registry.RegistryServer;
import org.ddpp.runtime.Shutdown;

/**
 * The single-machine streaming backbone in one object: an {@link EmbeddedKafka} broker with the project's topics
 * and a {@link RegistryServer} storing its schemas in that broker. {@code ddpp demo} and integration tests start
 * it instead of wiring the two by hand; {@link #close()} stops the registry first, then the broker. It is in the
 * test kit, next to {@link TestStack} which starts one per test JVM, so that the demo and the tests share one wiring.
 */
public final class EmbeddedStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final RegistryServer registry;

    private EmbeddedStack(EmbeddedKafka kafka, RegistryServer registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static Builder builder() {
        return new Builder();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public RegistryServer registry() {
        return registry;
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Base URL of the schema registry. */
    public String registryUrl() {
        return registry.url();
    }

    /** How roles reach this stack: unsecured, default topic names. */
    public org.ddpp.runtime.ClusterConnection connection() {
        return org.ddpp.runtime.ClusterConnection.local(bootstrapServers(), registryUrl());
    }

    @Override
    public void close() {
        Shutdown.closeAll("embedded stack", registry, kafka);
    }

    /** Builds and starts an {@link EmbeddedStack}. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int registryPort;
        private final java.util.Map<String, String> brokerProperties = new java.util.LinkedHashMap<>();

        /** Broker data directory (required); kept across restarts, so schema ids survive too. */
        public Builder setDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Broker client port; default 0 picks a free one. */
        public Builder optKafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Registry HTTP port; default 0 picks a free one. */
        public Builder optRegistryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** Any other broker property (see {@link EmbeddedKafka.Builder#optBrokerProperty}). */
        public Builder optBrokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public EmbeddedStack start() {
            Objects.requireNonNull(dataDir, "dataDir is required");
            EmbeddedKafka.Builder broker = EmbeddedKafka.builder().setDataDir(dataDir).optPort(kafkaPort);
            brokerProperties.forEach(broker::optBrokerProperty);
            EmbeddedKafka kafka = broker.start();
            try {
                RegistryServer registry = RegistryServer.builder()
                        .setBootstrapServers(kafka.bootstrapServers()).optPort(registryPort).start();
                return new EmbeddedStack(kafka, registry);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
        }
    }
}

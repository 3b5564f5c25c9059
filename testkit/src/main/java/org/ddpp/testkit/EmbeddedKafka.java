package org.ddpp.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.ddpp.runtime.LocalPorts;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.3.1 KRaft cluster (broker and controller in one process) running inside this JVM, used by
 * {@code ddpp broker}, {@code ddpp demo} and the integration tests. Its data directory persists across restarts
 * (storage is formatted only once); ports are fixed or picked at random; the topics in {@link Topics} are
 * created on start. Built with {@link #builder()}; {@link #close()} shuts the node down cleanly. It lives in the
 * test kit so that every module's integration tests can start it (a test-scope dependency) without depending on
 * {@code ops}, which uses it at compile scope for {@code ddpp broker} and {@code ddpp demo}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final Map<String, String> ownClientProperties;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String host, int port, Path dataDir, Map<String, String> ownClientProperties) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.ownClientProperties = Map.copyOf(ownClientProperties);
    }

    /**
     * Client properties that authenticate as {@code user} with {@code password} on a SASL/PLAIN listener
     * ({@link Builder#optSaslPlainUsers}); the keys of a client-config file.
     */
    public static Map<String, String> saslPlainClient(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An admin client for this node; the caller closes it. */
    public Admin admin() {
        Map<String, Object> props = new java.util.HashMap<>(ownClientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping embedded Kafka at {}", bootstrapServers());
        server.shutdown();
        server.awaitShutdown();
    }

    /** Builds and starts an {@link EmbeddedKafka}. */
    public static final class Builder {
        /** Default listener host. */
        public static final String DEFAULT_HOST = "127.0.0.1";

        private Path dataDir;
        private String host = DEFAULT_HOST;
        private int port;
        private int controllerPort;
        private List<TopicSpec<?, ?>> topics = Topics.all();
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Map<String, String> saslUsers;
        private int nodeId = 1;
        private String quorumVoters;
        private String clusterId;

        /** Directory holding the broker's logs and metadata (required); created when missing, kept on close. */
        public Builder setDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Client port; default 0 picks a free one. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Controller (KRaft quorum) port; default 0 picks a free one. */
        public Builder optControllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Host the listeners bind to and advertise; default 127.0.0.1. */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Topics created on start; default {@link Topics#all()}; an empty list creates none. */
        public Builder optTopics(List<TopicSpec<?, ?>> topics) {
            this.topics = List.copyOf(topics);
            return this;
        }

        /**
         * Serve clients on a SASL_PLAINTEXT listener with mechanism PLAIN for these users (name → password) instead
         * of PLAINTEXT. The node itself talks to its listener as an extra user with a password generated here.
         */
        public Builder optSaslPlainUsers(Map<String, String> users) {
            for (String user : users.keySet()) {
                if (!user.matches("[A-Za-z0-9_.]+")) {
                    throw new IllegalArgumentException("SASL user names may hold letters, digits, '_' and '.', got '" + user + "'");
                }
            }
            this.saslUsers = Map.copyOf(users);
            return this;
        }

        /**
         * Make this node one member of a multi-node KRaft cluster (combined broker and controller): its node id, the
         * quorum's voters ({@code id@host:controllerPort,…}, this node's own entry included) and the cluster id every
         * member formats its storage with. With three or more voters, the cluster's internal topics and its default
         * for new topics are replicated 3 times with {@code min.insync.replicas} 2. Topics are not created at start
         * (the cluster is not complete yet): create them with {@code ddpp topics create} once it is.
         */
        public Builder optClusterMember(int nodeId, String quorumVoters, String clusterId) {
            if (nodeId < 0) {
                throw new IllegalArgumentException("node id must be 0 or more, got " + nodeId);
            }
            if (!quorumVoters.matches("\\d+@[^,@]+:\\d+(,\\d+@[^,@]+:\\d+)*")) {
                throw new IllegalArgumentException("controller quorum voters must read id@host:port[,id@host:port...], got '"
                        + quorumVoters + "'");
            }
            if (!quorumVoters.matches("(.*,)?" + nodeId + "@.*")) {
                throw new IllegalArgumentException("the controller quorum voters " + quorumVoters + " do not include node " + nodeId);
            }
            try {
                Uuid.fromString(clusterId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cluster id must be a base64 UUID such as "
                        + Uuid.randomUuid() + " (what 'kafka-storage random-uuid' prints), got '" + clusterId + "'");
            }
            this.nodeId = nodeId;
            this.quorumVoters = quorumVoters;
            this.clusterId = clusterId;
            this.topics = List.of();
            return this;
        }

        /** Any other broker property, e.g. {@code log.retention.hours}. */
        public Builder optBrokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Formats storage on first use, starts the node, waits until it answers, creates the topics. */
        public EmbeddedKafka start() {
            Objects.requireNonNull(dataDir, "dataDir is required");
            try {
                Files.createDirectories(dataDir);
                int clientPort = port > 0 ? requireFree(host, port) : freePort(host);
                int quorumPort = controllerPort > 0 ? requireFree(host, controllerPort) : freePort(host);
                Properties props = brokerProperties(dataDir, host, clientPort, quorumPort);
                if (quorumVoters != null) {
                    clusterMember(props, nodeId, quorumVoters);
                }
                Map<String, String> own = Map.of();
                if (saslUsers != null) {
                    String brokerPassword = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
                    own = saslPlainClient("ddpp_broker", brokerPassword);
                    saslListener(props, host, clientPort, quorumPort, brokerPassword, saslUsers);
                }
                overrides.forEach(props::setProperty);
                formatOnce(dataDir, props, clusterId == null ? Uuid.randomUuid().toString() : clusterId);
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                server.startup();
                EmbeddedKafka kafka = new EmbeddedKafka(server, host, clientPort, dataDir, own);
                try (Admin admin = kafka.admin()) {
                    // a cluster member answers once a majority of the quorum is up
                    admin.describeCluster().nodes().get(quorumVoters == null ? 60 : 300, TimeUnit.SECONDS);
                    Topics.create(admin, topics, org.ddpp.schemas.Replication.AUTO);
                } catch (Exception e) {
                    kafka.close();
                    throw new IllegalStateException("embedded Kafka did not come up at " + kafka.bootstrapServers() + ": " + e, e);
                }
                LOG.info("embedded Kafka ready at {} (data {})", kafka.bootstrapServers(), dataDir);
                return kafka;
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare Kafka data directory " + dataDir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The properties of a one-node KRaft cluster (docs/architecture.md, "Platform notes"): replication 1 everywhere, small cleaner buffer. */
    static Properties brokerProperties(Path dataDir, String host, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("kraft").toAbsolutePath().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.cleaner.dedupe.buffer.size", "4194304");
        return p;
    }

    /** Node id, quorum and replication of one member of a multi-node cluster. */
    static void clusterMember(Properties p, int nodeId, String quorumVoters) {
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.quorum.voters", quorumVoters);
        int voters = quorumVoters.split(",").length;
        org.ddpp.schemas.Replication r = org.ddpp.schemas.Replication.AUTO.resolve(voters);
        String factor = Short.toString(r.factor());
        String isr = Integer.toString(r.minInsyncReplicas());
        p.setProperty("default.replication.factor", factor);
        p.setProperty("min.insync.replicas", isr);
        p.setProperty("offsets.topic.replication.factor", factor);
        p.setProperty("transaction.state.log.replication.factor", factor);
        p.setProperty("transaction.state.log.min.isr", isr);
        p.setProperty("share.coordinator.state.topic.replication.factor", factor);
        p.setProperty("share.coordinator.state.topic.min.isr", isr);
        p.setProperty("unclean.leader.election.enable", "false");
    }

    /** Turns the client listener into SASL_PLAINTEXT/PLAIN with the given users and the node's own user. */
    private static void saslListener(Properties p, String host, int port, int controllerPort, String brokerPassword,
            Map<String, String> users) {
        p.setProperty("listeners", "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port);
        p.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"ddpp_broker\" password=\"").append(brokerPassword).append('"')
                .append(" user_ddpp_broker=\"").append(brokerPassword).append('"');
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }

    /** Formats the storage directory unless an earlier run did (its meta.properties exists). */
    private static void formatOnce(Path dataDir, Properties props, String clusterId) throws IOException {
        if (Files.exists(dataDir.resolve("kraft").resolve("meta.properties"))) {
            return;
        }
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by ddpp for the storage format step");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8).trim());
        }
    }

    /** Fails with a readable message when {@code port} is taken, before Kafka fails with a stack trace. */
    public static int requireFree(String host, int port) {
        return LocalPorts.requireFree(host, port);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }
}

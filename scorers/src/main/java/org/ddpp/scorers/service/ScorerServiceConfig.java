package org.ddpp.scorers.service;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.TopicNames;

/**
 * Settings of one {@link ScorerService} instance. Built with {@link #builder()}: the {@code set*} values are
 * required, every {@code opt*} has the default named by its constant.
 *
 * @param connection        Kafka, registry and topic names (shared by every role)
 * @param scorer            scorer name (consumer group {@code ddpp-scorer-<name>})
 * @param instanceId        stable id of this instance among the instances of the scorer; a restarted instance
 *                          with the same id takes over its transactions and group membership at once
 * @param batchSize         candidates per scorer call
 * @param maxInFlight       candidates polled, scored and committed per transaction (the in-flight bound)
 * @param parallelism       scorer calls running at once
 * @param callThreads       threads that run scorer calls, counting calls abandoned at their timeout that still run
 *                          (at least {@code parallelism}; default twice it); when all are busy the next call waits
 *                          for one up to the call timeout, then counts as timed out
 * @param callTimeout       time one scorer call may take before it is abandoned and retried
 * @param maxRetries        retries of a failed or timed-out call before its candidates are marked FAILED
 * @param retryBackoff      first pause before a retry, doubled per retry up to {@code maxRetryBackoff}
 * @param maxRetryBackoff   longest pause between retries
 * @param sessionTimeout    consumer session timeout: how long a crashed instance keeps its partitions
 * @param transactionTimeout broker-side transaction timeout of the instance's producer
 * @param metricsInterval   how often metrics are published
 * @param meterRegistry     where the instance's meters go (a {@code /metrics} endpoint's registry); null = its own
 */
public record ScorerServiceConfig(
        ClusterConnection connection,
        String scorer,
        String instanceId,
        int batchSize,
        int maxInFlight,
        int parallelism,
        int callThreads,
        Duration callTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration sessionTimeout,
        Duration transactionTimeout,
        Duration metricsInterval,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) {

    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final int DEFAULT_PARALLELISM = 1;
    /** Default call threads per unit of parallelism. */
    public static final int DEFAULT_CALL_THREADS_PER_CALL = 2;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);

    public ScorerServiceConfig {
        Objects.requireNonNull(connection, "connection is required");
        Objects.requireNonNull(scorer, "scorer is required");
        if (instanceId == null || instanceId.isBlank() || !instanceId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("instance id must be letters, digits, '.', '_' or '-', got '" + instanceId + "'");
        }
        positive("batch size", batchSize);
        positive("max in-flight", maxInFlight);
        positive("parallelism", parallelism);
        if (callThreads < parallelism) {
            throw new IllegalArgumentException("call threads (" + callThreads + ") must be at least the parallelism ("
                    + parallelism + ")");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, got " + maxRetries);
        }
        positive("call timeout", callTimeout);
        positive("max retry back-off", maxRetryBackoff);
        positive("session timeout", sessionTimeout);
        positive("transaction timeout", transactionTimeout);
        positive("metrics interval", metricsInterval);
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry back-off must be >= 0, got " + retryBackoff);
        }
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    /** The topic names of this pipeline. */
    public TopicNames topics() {
        return connection.topics();
    }

    /**
     * Consumer group shared by every instance of the scorer: {@code ddpp-scorer-<name>}, renamed like the topics,
     * so isolated pipelines never share a group.
     */
    public String groupId() {
        return connection.topics().scorerGroup(scorer);
    }

    /** Transactional id and static group member id of this instance. */
    public String memberId() {
        return groupId() + "-" + instanceId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default instance id: this host's name (stable across restarts of a container or machine). */
    public static String defaultInstanceId() {
        try {
            String host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return host.isBlank() ? "0" : host;
        } catch (Exception e) {
            return "0";
        }
    }

    /** Builds a {@link ScorerServiceConfig}. */
    public static final class Builder {
        private ClusterConnection connection;
        private String scorer;
        private String instanceId;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int parallelism = DEFAULT_PARALLELISM;
        private int callThreads;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private Duration metricsInterval = DEFAULT_METRICS_INTERVAL;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;

        /** Kafka, registry and topic names (required). */
        public Builder setConnection(ClusterConnection v) { this.connection = v; return this; }
        public Builder setScorer(String v) { this.scorer = v; return this; }
        /** Default: {@link #defaultInstanceId()}. */
        public Builder optInstanceId(String v) { this.instanceId = v; return this; }
        public Builder optBatchSize(int v) { this.batchSize = v; return this; }
        public Builder optMaxInFlight(int v) { this.maxInFlight = v; return this; }
        public Builder optParallelism(int v) { this.parallelism = v; return this; }
        /** Default: {@link #DEFAULT_CALL_THREADS_PER_CALL} × parallelism. */
        public Builder optCallThreads(int v) { this.callThreads = v; return this; }
        public Builder optCallTimeout(Duration v) { this.callTimeout = v; return this; }
        public Builder optMaxRetries(int v) { this.maxRetries = v; return this; }
        public Builder optRetryBackoff(Duration v) { this.retryBackoff = v; return this; }
        public Builder optMaxRetryBackoff(Duration v) { this.maxRetryBackoff = v; return this; }
        public Builder optSessionTimeout(Duration v) { this.sessionTimeout = v; return this; }
        public Builder optTransactionTimeout(Duration v) { this.transactionTimeout = v; return this; }
        public Builder optMetricsInterval(Duration v) { this.metricsInterval = v; return this; }
        /** Registry of the role's {@code /metrics} endpoint; default: a private in-memory one. */
        public Builder optMeterRegistry(io.micrometer.core.instrument.MeterRegistry v) { this.meterRegistry = v; return this; }

        public ScorerServiceConfig build() {
            return new ScorerServiceConfig(connection, scorer,
                    instanceId == null ? defaultInstanceId() : instanceId, batchSize, maxInFlight, parallelism,
                    callThreads > 0 ? callThreads : DEFAULT_CALL_THREADS_PER_CALL * Math.max(1, parallelism),
                    callTimeout, maxRetries, retryBackoff, maxRetryBackoff, sessionTimeout, transactionTimeout,
                    metricsInterval, meterRegistry);
        }
    }
}

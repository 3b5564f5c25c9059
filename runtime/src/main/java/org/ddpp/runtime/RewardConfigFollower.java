package org.ddpp.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.ddpp.schemas.registry.RegistryOutageException;
import org.ddpp.schemas.reward.RewardFormula;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each run is steered toward, as the roles see it: follows the compacted {@code ddpp.reward-config} topic on
 * its own thread (no consumer group, read from the beginning, read_committed) and keeps every version of every run
 * it was asked about. Samplers stamp each candidate with the newest version they know, the joiner joins a candidate
 * under the version it carries, and the trainer recombines its buffer under the newest one, so a run changes what
 * it is steered toward without restarting any role.
 *
 * <p>A record that does not decode, breaks {@link RewardFormula#problem}, repeats a known version with other
 * content, or jumps implausibly far beyond the newest version is not applied: it goes to the dead-letter topic
 * (when a publisher is given) and is counted. A schema registry that cannot answer is waited for, never taken for a
 * bad record.
 */
public final class RewardConfigFollower implements AutoCloseable {

    /** Largest step between the newest known version of a run and the next one accepted. */
    public static final long MAX_VERSION_JUMP = 1_000_000L;
    /** Versions kept per run (the oldest are forgotten beyond it; candidates that old have long been joined). */
    public static final int MAX_VERSIONS_KEPT = 1_000;
    /** Dead-letter stage of rejected configurations. */
    public static final String STAGE = "reward-config";

    private static final Logger LOG = LoggerFactory.getLogger(RewardConfigFollower.class);

    private final String role;
    private final String onlyRun;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<RewardConfig> values;
    private final DeadLetterPublisher deadLetters;
    private final Map<String, NavigableMap<Long, RewardConfig>> runs = new ConcurrentHashMap<>();
    private final java.util.Set<String> everRequired = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private RewardConfigFollower(String role, ClusterConnection connection, String onlyRun, DeadLetterPublisher deadLetters) {
        this.role = role;
        this.onlyRun = onlyRun;
        this.topic = connection.topics().rewardConfig();
        this.deadLetters = deadLetters;
        Map<String, Object> props = connection.consumerProperties("ddpp-" + role + "-reward-config");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.values = Topics.REWARD_CONFIG.valueSerde(connection.cachedRegistry(), false).deserializer();
        this.thread = new Thread(this::loop, "ddpp-" + role + "-reward-config");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following.
     *
     * @param role        the role's name, for client ids, the thread and log lines
     * @param onlyRun     the one run to keep (a sampler's, a trainer's), or null for every run (the joiner)
     * @param deadLetters where rejected records go; null: they are only logged and counted
     */
    public static RewardConfigFollower start(String role, ClusterConnection connection, String onlyRun,
            DeadLetterPublisher deadLetters) {
        RewardConfigFollower follower = new RewardConfigFollower(role, connection, onlyRun, deadLetters);
        follower.thread.start();
        return follower;
    }

    /** Waits until the topic has been read to where it ended at start; false when it was not within {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the topic has been read to where it ended at start (or found not to exist). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** The newest version of {@code run} known here, 0 when it was never steered. */
    public long latestVersion(String run) {
        NavigableMap<Long, RewardConfig> versions = runs.get(run);
        return versions == null || versions.isEmpty() ? 0L : versions.lastKey();
    }

    /** The newest configuration of {@code run}, if it was ever steered. */
    public Optional<RewardConfig> latest(String run) {
        NavigableMap<Long, RewardConfig> versions = runs.get(run);
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** Version {@code version} of {@code run}, if it is known here (yet, or still). */
    public Optional<RewardConfig> version(String run, long version) {
        NavigableMap<Long, RewardConfig> versions = runs.get(run);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /** Every version of {@code run} known here, oldest first. */
    public List<RewardConfig> history(String run) {
        NavigableMap<Long, RewardConfig> versions = runs.get(run);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** True when some version of some run followed here requires {@code scorer}. */
    public boolean everRequired(String scorer) {
        return everRequired.contains(scorer);
    }

    /**
     * Counts what this follower applied and refused on the role's meters:
     * {@code ddpp_<role>_reward_config_accepted_total} and {@code ddpp_<role>_reward_config_rejected_total}.
     */
    public void bindTo(RoleMeters meters) {
        meters.counter("reward.config.accepted", this::accepted);
        meters.counter("reward.config.rejected", this::rejected);
    }

    /** Records that were not applied (dead-lettered or logged). */
    public long rejected() {
        return rejected.get();
    }

    /** Configurations accepted so far, over every run followed. */
    public long accepted() {
        return changes.get();
    }

    private void loop() {
        long lastErrorLog = 0;
        Map<TopicPartition, Long> ends = null;
        try {
            while (running) {
                try {
                    if (ends == null) {
                        ends = assign();
                        if (ends == null) {
                            continue;
                        }
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    RewindOnOutage.process(consumer, batch, this::consider);
                    if (caughtUp.getCount() > 0) {
                        boolean done = true;
                        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                            done &= consumer.position(e.getKey()) >= e.getValue();
                        }
                        if (done) {
                            caughtUp.countDown();
                        }
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (lastErrorLog == 0 || System.nanoTime() - lastErrorLog > 10_000_000_000L) {
                        lastErrorLog = System.nanoTime();
                        LOG.warn("{}: reading {}: {} (retrying every second)", role, topic, e.toString());
                    }
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("closing the reward-config consumer: {}", e.toString());
            }
        }
    }

    /** Assigns the topic's partitions from the beginning and returns their end offsets; null while it does not exist. */
    private Map<TopicPartition, Long> assign() throws InterruptedException {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (parts.isEmpty()) {
            caughtUp.countDown(); // nothing was ever published: every run is unsteered
            Thread.sleep(1000);
            return null;
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return new HashMap<>(consumer.endOffsets(parts));
    }

    private void consider(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (onlyRun != null && !onlyRun.equals(key)) {
            return; // another run's configuration
        }
        RewardConfig config;
        try {
            config = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryOutageException.isCause(e)) {
                throw new RegistryOutageException("schema registry unavailable while decoding a reward configuration: "
                        + e.getMessage(), e);
            }
            reject(record, "undecodable reward configuration: " + e.getMessage(), e);
            return;
        }
        String problem = RewardFormula.problem(config);
        if (problem == null && !config.getRun().equals(key)) {
            problem = "reward configuration keyed by run " + key + " names run " + config.getRun();
        }
        if (problem != null) {
            reject(record, problem, null);
            return;
        }
        NavigableMap<Long, RewardConfig> versions = runs.computeIfAbsent(config.getRun(), r -> new ConcurrentSkipListMap<>());
        RewardConfig known = versions.get(config.getVersion());
        if (known != null) {
            if (!known.equals(config)) {
                reject(record, "version " + config.getVersion() + " of run " + config.getRun()
                        + " was published before with other content; the first one stays", null);
            }
            return;
        }
        long newest = versions.isEmpty() ? 0L : versions.lastKey();
        if (config.getVersion() > newest + MAX_VERSION_JUMP) {
            reject(record, "version " + config.getVersion() + " of run " + config.getRun() + " is more than "
                    + MAX_VERSION_JUMP + " beyond the newest known (" + newest + ")", null);
            return;
        }
        versions.put(config.getVersion(), config);
        config.getScorers().forEach(t -> everRequired.add(t.getScorer()));
        while (versions.size() > MAX_VERSIONS_KEPT) {
            versions.pollFirstEntry();
        }
        changes.incrementAndGet();
        LOG.info("{}: run {} reward configuration v{}: {}", role, config.getRun(), config.getVersion(), describe(config));
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, String reason, Throwable cause) {
        rejected.incrementAndGet();
        LOG.warn("{}: ignoring {}-{}@{}: {}", role, record.topic(), record.partition(), record.offset(), reason);
        if (deadLetters != null) {
            try {
                deadLetters.publish(record, STAGE, reason, cause);
            } catch (RuntimeException e) {
                LOG.warn("{}: could not dead-letter {}-{}@{}: {}", role, record.topic(), record.partition(), record.offset(), e.toString());
            }
        }
    }

    /** One line: weights, floor and temperature. */
    public static String describe(RewardConfig c) {
        return RewardFormula.weights(c) + " floor " + c.getFloor() + " beta " + c.getBeta();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Shutdown.await(thread, Duration.ofSeconds(5));
    }
}

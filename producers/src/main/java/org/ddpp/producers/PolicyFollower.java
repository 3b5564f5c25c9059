package org.ddpp.producers;

import org.ddpp.runtime.RewindOnOutage;
import org.ddpp.schemas.registry.RegistryOutageException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted policy topic for one run on its own thread (no consumer group: every partition is
 * assigned and read from the beginning, so a sampler that starts late still finds the newest version). It first
 * reads up to the end offsets it found at start, then fetches and verifies the newest version newer than the
 * sampler's, and hands it over as {@link VerifiedWeights}; loading stays on the sampler thread. Records of other
 * runs are skipped without decoding; an undecodable record of this run and every unusable file go to the
 * dead-letter topic through {@link PolicyRejections}. A record that cannot be decoded because the schema registry
 * is down is read again a second later, never dead-lettered.
 */
public final class PolicyFollower implements Runnable {

    /**
     * Largest step between a version the follower knows and the next one it accepts: far more than a trainer
     * publishes between two announcements a sampler can miss, far less than a crafted {@code Long.MAX_VALUE}.
     */
    public static final long MAX_VERSION_JUMP = 1_000_000L;


    private static final Logger LOG = LoggerFactory.getLogger(PolicyFollower.class);

    private final String run;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<PolicyUpdate> values;
    private final PolicyFetcher fetcher;
    private final PolicyRejections rejections;
    private final SamplerMeters metrics;
    private final LongSupplier installedVersion;
    private final AtomicReference<VerifiedWeights> ready = new AtomicReference<>();
    private volatile long inFlight = -1;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private ConsumerRecord<byte[], byte[]> newestRaw;
    private PolicyUpdate newest;

    /**
     * Reads {@code topic} with {@code consumer} (owned and closed by this follower), keeps announcements of
     * {@code run} newer than {@code installedVersion}, fetches them with {@code fetcher}.
     */
    public PolicyFollower(String run, String topic, Consumer<byte[], byte[]> consumer, Deserializer<PolicyUpdate> values,
            PolicyFetcher fetcher, PolicyRejections rejections, SamplerMeters metrics, LongSupplier installedVersion) {
        this.run = run;
        this.topic = topic;
        this.consumer = consumer;
        this.values = values;
        this.fetcher = fetcher;
        this.rejections = rejections;
        this.metrics = metrics;
        this.installedVersion = installedVersion;
    }

    /** The verified weights waiting to be installed, taken (the caller owns the file), or null. */
    public VerifiedWeights takeReady() {
        return ready.getAndSet(null);
    }

    /**
     * The newest version that is being fetched or waits to be installed, or -1. Reads the in-flight version before
     * the ready slot, so a hand-over between the two is never missed.
     */
    public long pendingVersion() {
        long fetching = inFlight;
        VerifiedWeights w = ready.get();
        return Math.max(fetching, w == null ? -1 : w.version());
    }

    /**
     * True once the follower has read the policy topic up to where it ended at start (or found no topic), and has
     * marked the newest announced version as in flight. Until then a following sampler must not publish: it
     * would not know how stale its version is.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Asks the follower to stop; {@link #run()} returns soon after and closes the consumer. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            Map<TopicPartition, Long> catchUp = null;
            boolean assigned = false;
            boolean done = false;
            long lastErrorLog = 0;
            while (running) {
                try {
                    if (!assigned) {
                        catchUp = assign();
                        assigned = true;
                        done = catchUp == null;
                        continue;
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    RewindOnOutage.process(consumer, batch, this::consider);
                    if (!done) {
                        Map<TopicPartition, Long> ends = catchUp;
                        done = ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                        if (!done) {
                            continue;
                        }
                    }
                    boolean fetchNow = newest != null
                            && newest.getVersion() > Math.max(installedVersion.getAsLong(), pendingVersion());
                    if (fetchNow) {
                        inFlight = newest.getVersion(); // before caughtUp, so the sampler sees how stale it is
                    }
                    caughtUp = true;
                    if (fetchNow) {
                        fetch(newest, newestRaw);
                    }
                    newest = null;
                    newestRaw = null;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    metrics.errors.increment();
                    if (lastErrorLog == 0 || System.nanoTime() - lastErrorLog > 10_000_000_000L) {
                        lastErrorLog = System.nanoTime();
                        LOG.error("policy follower of run {}: {} (retrying every second)", run, e.toString(), e);
                    }
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            VerifiedWeights left = ready.getAndSet(null);
            if (left != null) {
                left.discard();
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of the topic (waiting until it exists); returns the end offsets to catch up to. */
    private Map<TopicPartition, Long> assign() throws InterruptedException {
        while (running) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!parts.isEmpty()) {
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                return consumer.endOffsets(parts);
            }
            if (!caughtUp) {
                LOG.info("policy topic {} does not exist yet: nothing announced; looking again every second", topic);
                caughtUp = true;
            }
            Thread.sleep(1000);
        }
        return null;
    }

    private void consider(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null
                || !run.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            return; // another run's announcement, or a tombstone
        }
        PolicyUpdate update;
        try {
            update = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryOutageException.isCause(e)) {
                // not the record's fault: read again once the registry answers
                throw new RegistryOutageException("schema registry unavailable while decoding a policy update: " + e.getMessage(), e);
            }
            rejections.reject(record, -1, "undecodable policy update: " + e.getMessage(), e);
            return;
        }
        if (!run.equals(update.getRun())) {
            rejections.reject(record, update.getVersion(), "policy update keyed by run " + run + " names run " + update.getRun(), null);
            return;
        }
        long known = Math.max(installedVersion.getAsLong(), metrics.announcedVersion.get());
        if (update.getVersion() < 1 || (known > 0 && update.getVersion() > known + MAX_VERSION_JUMP)) {
            // a version far beyond every one seen would, once installed, make every real later version look stale
            rejections.reject(record, update.getVersion(), "implausible policy version " + update.getVersion()
                    + " (newest known " + known + "; versions start at 1 and grow by at most " + MAX_VERSION_JUMP + ")", null);
            return;
        }
        metrics.announcedVersion.accumulateAndGet(update.getVersion(), Math::max);
        if (newest == null || update.getVersion() > newest.getVersion()) {
            newest = update;
            newestRaw = record;
        }
    }

    private void fetch(PolicyUpdate update, ConsumerRecord<byte[], byte[]> raw) throws InterruptedException {
        long version = update.getVersion();
        inFlight = version;
        try {
            LOG.info("run {}: fetching policy version {} (step {}) from {}", run, version, update.getStep(), update.getUri());
            var file = fetcher.fetch(update.getUri(), update.getSha256(), update.getSizeBytes());
            VerifiedWeights previous = ready.getAndSet(new VerifiedWeights(version, update.getStep(), file, raw));
            if (previous != null) {
                previous.discard(); // superseded before the sampler took it
            }
        } catch (PolicyFetchException e) {
            inFlight = -1; // no longer pending once rejected
            rejections.reject(raw, version, e.getMessage(), e.getCause());
        } finally {
            inFlight = -1;
        }
    }
}

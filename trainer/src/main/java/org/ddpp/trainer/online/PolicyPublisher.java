package org.ddpp.trainer.online;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.diffusion.checkpoint.PolicyWeights;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.PolicyUpdate;

/**
 * Publishes policy versions: writes the weights to {@code v<version>.params} in the trainer's policy directory,
 * serves them over HTTP, and announces them on the compacted {@code ddpp.policy} topic (key: run id) with the
 * URL, sha256 and size, waiting for the broker's acknowledgement. Keeps the newest few files on disk.
 */
public final class PolicyPublisher {

    private final String run;
    private final String topic;
    private final Path dir;
    private final PolicyFileServer server;
    private final Producer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<PolicyUpdate> values;
    private final int keep;
    private final Deque<Path> published = new ArrayDeque<>();

    public PolicyPublisher(String run, String topic, Path dir, PolicyFileServer server, Producer<byte[], byte[]> producer,
            Serializer<String> keys, Serializer<PolicyUpdate> values, int keep) {
        this.topic = topic;
        this.run = run;
        this.dir = dir;
        this.server = server;
        this.producer = producer;
        this.keys = keys;
        this.values = values;
        this.keep = keep;
    }

    /** Thrown when the trainer was asked to stop while a version's announcement was still unacknowledged. */
    /** Runs the announcements' {@code send} calls (daemon: a send blocked by an outage never holds the JVM). */
    private static final java.util.concurrent.ExecutorService SENDER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ddpp-policy-announce");
        t.setDaemon(true);
        return t;
    });

    /** {@code future}'s value, checking {@code wanted} every 200 ms; {@link StoppedWhileAnnouncing} once it is false. */
    private static <T> T awaitOrStop(java.util.concurrent.Future<T> future, java.util.function.BooleanSupplier wanted, long version)
            throws InterruptedException, ExecutionException, StoppedWhileAnnouncing {
        while (true) {
            try {
                return future.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                if (!wanted.getAsBoolean()) {
                    throw new StoppedWhileAnnouncing(version);
                }
            }
        }
    }

    public static final class StoppedWhileAnnouncing extends IOException {
        StoppedWhileAnnouncing(long version) {
            super("stopped before policy version " + version + " was acknowledged by Kafka");
        }
    }

    /** Writes, serves and announces {@code policy} as {@code version}; returns the record sent. */
    public PolicyUpdate publish(Mdm policy, long version, long step) throws IOException {
        return publish(policy, version, step, () -> true, Map.of());
    }

    /**
     * As {@link #publish(Mdm, long, long)}, but gives up waiting for the broker's acknowledgement as soon as
     * {@code wanted} turns false (the trainer is stopping), with {@link StoppedWhileAnnouncing}; an outage then
     * never holds a stop for the producer's delivery timeout. {@code extraDetails} go into
     * {@code PolicyUpdate.details} beside {@code file} and {@code task} (the trainer adds {@code reward_config_version}).
     */
    public PolicyUpdate publish(Mdm policy, long version, long step, java.util.function.BooleanSupplier wanted,
            Map<String, String> extraDetails) throws IOException {
        Path file = dir.resolve("v" + version + ".params");
        String sha256 = PolicyWeights.write(policy, file);
        PolicyUpdate update = PolicyUpdate.newBuilder()
                .setRun(run)
                .setVersion(version)
                .setStep(step)
                .setUri(server.urlFor(file))
                .setSha256(sha256)
                .setSizeBytes(Files.size(file))
                .setCreatedAt(Instant.now())
                .setDetails(details(file, policy, extraDetails))
                .build();
        try {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, keys.serialize(topic, run), values.serialize(topic, update));
            // send() itself blocks up to max.block.ms (a minute) when the broker is gone and the topic's metadata with
            // it; it runs on the sender thread, so a stop is honoured while it blocks as while the ack is awaited
            java.util.concurrent.Future<java.util.concurrent.Future<?>> sending = SENDER.submit(() -> producer.send(record));
            awaitOrStop(awaitOrStop(sending, wanted, version), wanted, version);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while announcing policy version " + version, e);
        } catch (ExecutionException e) {
            throw new IOException("cannot announce policy version " + version + ": " + e.getCause(), e.getCause());
        }
        published.addLast(file);
        while (published.size() > keep) {
            Files.deleteIfExists(published.removeFirst());
        }
        return update;
    }

    private static Map<String, String> details(Path file, Mdm policy, Map<String, String> extra) {
        Map<String, String> out = new java.util.TreeMap<>(extra);
        out.put("file", file.toUri().toString());
        out.put("task", policy.task().name());
        return out;
    }
}

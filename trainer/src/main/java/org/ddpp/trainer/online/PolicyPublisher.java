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
            java.util.concurrent.Future<?> sent = producer.send(new ProducerRecord<>(topic, keys.serialize(topic, run), values.serialize(topic, update)));
            while (true) {
                try {
                    sent.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    if (!wanted.getAsBoolean()) {
                        throw new StoppedWhileAnnouncing(version);
                    }
                }
            }
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

package org.ddpp.scorers.reward;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;

/**
 * The reward-configuration log of a pipeline ({@code ddpp.reward-config}, one partition, key: run id): what each
 * run is steered toward, as a sequence of versions. Steering a live run means publishing its next version here
 * ({@link #publish}); reading a run's {@link #history} gives every version the topic still holds (compaction keeps
 * at least the newest per run).
 *
 * <p>Versions of one run are numbered 1, 2, … without gaps or repeats even when two {@code ddpp steer} run at
 * once: each publication is a transaction under the run's own transactional id, begun only after reading the
 * newest version, so of two concurrent publishers the later one fences the earlier, which fails and is repeated.
 */
public final class RewardConfigLog {

    private final ClusterConnection connection;
    private final String topic;
    private final CachedSchemaRegistry registry;
    private final Duration timeout;

    /**
     * @param connection the pipeline's cluster and topic names
     * @param timeout    bound of each read to the end of the log and of each publication
     */
    public RewardConfigLog(ClusterConnection connection, Duration timeout) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.topic = connection.topics().rewardConfig();
        this.registry = connection.cachedRegistry();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Every version of {@code run} the log holds, oldest first (empty when the run was never steered). */
    public List<RewardConfig> history(String run) {
        Map<Long, RewardConfig> byVersion = new TreeMap<>();
        AvroDeserializer<RewardConfig> values = new AvroDeserializer<>(registry, RewardConfig.class);
        Map<String, Object> props = connection.consumerProperties("ddpp-reward-config-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && run.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)) && r.value() != null) {
                        RewardConfig config = values.deserialize(r.topic(), r.headers(), r.value());
                        byVersion.put(config.getVersion(), config);
                    }
                }
            }
        }
        return new ArrayList<>(byVersion.values());
    }

    /** The newest version of {@code run}, or null. */
    public RewardConfig latest(String run) {
        List<RewardConfig> all = history(run);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Publishes the next version of {@code run}: {@code log R = max(floor, beta · Σ w_k log R_k)} over
     * {@code composition}'s scorers and weights, with its floor. Returns what was published.
     *
     * @throws ConcurrentSteeringException when another publisher for this run fenced this one (try again)
     */
    public RewardConfig publish(String run, RewardComposition composition, double beta, String setBy, String reason) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and positive, got " + beta);
        }
        Map<String, Object> props = connection.producerProperties("ddpp-steer-" + run);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, connection.topics().name("ddpp-steer-" + run));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions(); // fences an earlier publisher for this run; its open transaction is aborted
            RewardConfig previous = latest(run);
            List<RewardTerm> terms = composition.scorers().stream()
                    .map(s -> RewardTerm.newBuilder().setScorer(s.name()).setWeight(s.weight()).build()).toList();
            RewardConfig next = RewardConfig.newBuilder()
                    .setRun(run)
                    .setVersion(previous == null ? 1 : previous.getVersion() + 1)
                    .setScorers(terms)
                    .setFloor(composition.floor())
                    .setBeta(beta)
                    .setSetBy(setBy)
                    .setSetAt(Instant.now())
                    .setReason(reason)
                    .build();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, new StringSerializer().serialize(topic, run),
                    new AvroSerializer<RewardConfig>(registry, true, false).serialize(topic, next)));
            producer.commitTransaction();
            return next;
        } catch (ProducerFencedException e) {
            throw new ConcurrentSteeringException(run, e);
        } catch (KafkaException e) {
            throw new IllegalStateException("could not publish the reward configuration of run " + run + ": " + e.getMessage(), e);
        }
    }

    /** The composition a configuration asks for, with its temperature folded into the weights (β · w_k). */
    public static RewardComposition composition(RewardConfig config) {
        List<RewardComposition.WeightedScorer> scorers = config.getScorers().stream()
                .map(t -> new RewardComposition.WeightedScorer(t.getScorer(), config.getBeta() * t.getWeight())).toList();
        return new RewardComposition(scorers, config.getFloor());
    }

    /** One line per version, for {@code ddpp steer --show}. */
    public static String describe(RewardConfig c) {
        return "v" + c.getVersion() + "  " + c.getSetAt() + "  " + org.ddpp.schemas.reward.RewardFormula.weights(c) + "  floor " + c.getFloor() + "  beta " + c.getBeta()
                + "  by " + c.getSetBy() + (c.getReason() == null ? "" : "  (" + c.getReason() + ")");
    }

    /** Another publisher for the same run fenced this one; the publication did not happen. */
    public static final class ConcurrentSteeringException extends RuntimeException {
        ConcurrentSteeringException(String run, Throwable cause) {
            super("another 'ddpp steer' for run " + run + " published at the same time; nothing was published, try again", cause);
        }
    }
}

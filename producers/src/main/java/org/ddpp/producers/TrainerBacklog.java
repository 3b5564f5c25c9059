package org.ddpp.producers;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outstanding candidates measured from broker offsets with the Admin client:
 * {@code Σ end(candidates) − Σ committed(trainer group, rewards) − Σ end(dlq)}, at least 0.
 *
 * <p>An approximation, on purpose cheap and role-independent: it is global across every sampler and run that
 * share the topics (all samplers see the same figure and together keep it near the bound); dead letters that are
 * not candidates (bad policy files, undecodable records) and transaction markers in the rewards and dlq topics
 * make it slightly smaller than the truth; candidates the trainer has read but not yet committed count as
 * outstanding until its next commit. A topic that does not exist yet counts as empty.
 */
public final class TrainerBacklog implements Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerBacklog.class);

    private final Admin admin;
    private final boolean ownsAdmin;
    private final String candidates;
    private final String rewards;
    private final String dlq;
    private final String trainerGroup;
    private final long timeoutMs;
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();
    private long lastWarning;
    private long partitionsAt;

    /**
     * Measures with {@code admin} (closed by {@link #close()} when {@code ownsAdmin}); each measurement waits at
     * most {@code timeout}.
     */
    public TrainerBacklog(Admin admin, boolean ownsAdmin, String candidatesTopic, String rewardsTopic, String dlqTopic,
            String trainerGroup, Duration timeout) {
        this.admin = admin;
        this.ownsAdmin = ownsAdmin;
        this.candidates = candidatesTopic;
        this.rewards = rewardsTopic;
        this.dlq = dlqTopic;
        this.trainerGroup = trainerGroup;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public OptionalLong measure() {
        try {
            long produced = endOffsets(candidates);
            long deadLetters = endOffsets(dlq);
            long consumed = committed();
            return OptionalLong.of(Math.max(0, produced - consumed - deadLetters));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastWarning > 10_000_000_000L || lastWarning == 0) {
                lastWarning = now;
                LOG.warn("cannot measure outstanding candidates (keeping the last figure): {}",
                        e instanceof ExecutionException ? e.getCause() : e);
            }
            partitions.clear();
            return OptionalLong.empty();
        }
    }

    /** Committed offsets of the trainer group on the rewards topic, summed (0 when the group has none). */
    private long committed() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(trainerGroup)
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(rewards) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    private long endOffsets(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> parts = partitions(topic);
        if (parts.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        parts.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        long sum = 0;
        for (ListOffsetsResultInfo info : ends.values()) {
            sum += info.offset();
        }
        return sum;
    }

    private List<TopicPartition> partitions(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        if (System.nanoTime() - partitionsAt > 30_000_000_000L) {
            partitions.clear(); // partitions may have been added: describe again every 30 s
            partitionsAt = System.nanoTime();
        }
        List<TopicPartition> known = partitions.get(topic);
        if (known != null) {
            return known;
        }
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            List<TopicPartition> parts = described.get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            partitions.put(topic, parts);
            return parts;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of(); // not created yet: empty; asked again next time
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}

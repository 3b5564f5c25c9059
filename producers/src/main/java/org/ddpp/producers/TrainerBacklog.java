package org.ddpp.producers;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.ddpp.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Candidates published but not yet consumed by the trainer:
 * {@code Σ end offsets(candidates) − scored candidates below the trainer group's committed offsets on rewards −
 * distinct candidates in the dead-letter topic}, at least 0. End offsets come from the Admin client (samplers do not
 * write transactionally, so candidate offsets count records); the other two terms are record counts kept by a
 * {@link SettledCounter}, because the joiner writes rewards and dead letters in transactions whose markers take
 * offsets.
 *
 * <p>Approximations: the figure is global across every sampler and run sharing the topics (all samplers see
 * the same number and together keep it near the bound); candidates the trainer has read but not yet committed
 * count as outstanding until its next commit; a rewards record the counter has not read yet counts by offset.
 * Until the counter has read the topics' history, nothing is measured (flow control then holds samplers back).
 */
public final class TrainerBacklog implements Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerBacklog.class);

    private final Admin admin;
    private final SettledCounter counter;
    private final Thread counterThread;
    private final String candidates;
    private final String rewards;
    private final String trainerGroup;
    private final long timeoutMs;
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();
    private long lastWarning;
    private long partitionsAt;

    /**
     * Measures with {@code admin} and {@code counter} (both owned: the counter's thread starts here, and
     * {@link #close()} stops it and closes the admin client); each Admin request waits at most {@code timeout}.
     */
    public TrainerBacklog(Admin admin, SettledCounter counter, String threadName, String candidatesTopic,
            String rewardsTopic, String trainerGroup, Duration timeout) {
        this.admin = admin;
        this.counter = counter;
        this.candidates = candidatesTopic;
        this.rewards = rewardsTopic;
        this.trainerGroup = trainerGroup;
        this.timeoutMs = timeout.toMillis();
        this.counterThread = new Thread(counter, threadName);
        this.counterThread.setDaemon(true);
        this.counterThread.start();
    }

    @Override
    public Optional<Reading> measure() {
        if (!counter.caughtUp()) {
            return Optional.empty();
        }
        try {
            long produced = endOffsets(candidates);
            long consumed = counter.consumedBelow(committed());
            long deadLetters = counter.deadLetteredCandidates();
            return Optional.of(new Reading(Math.max(0, produced - consumed - deadLetters), consumed + deadLetters,
                    counter.waitingForTrainer()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastWarning > 10_000_000_000L || lastWarning == 0) {
                lastWarning = now;
                LOG.warn("cannot measure outstanding candidates (keeping the last figure): {}",
                        e instanceof ExecutionException ? e.getCause() : e);
            }
            partitions.clear();
            return Optional.empty();
        }
    }

    /** Committed offsets of the trainer group on the rewards topic, by partition (empty when it has none). */
    private Map<Integer, Long> committed() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(trainerGroup)
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<Integer, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(rewards) && e.getValue() != null) {
                out.put(e.getKey().partition(), e.getValue().offset());
            }
        }
        return out;
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
        counter.stop();
        Shutdown.await(counterThread, Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }
}

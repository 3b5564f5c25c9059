package org.ddpp.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds <em>hanging transactions</em>: a transaction that is open on a partition (its records are written, no
 * commit or abort marker follows them) although its coordinator will never end it there. Every read_committed
 * consumer of that partition stops at the transaction's first offset for good: the scorers, joiner and trainer
 * would wait forever. Kafka's own guards (partition verification, KIP-890) make this rare, but it was seen here
 * after a kill -9 of a single broker while the joiner committed: the coordinator recorded the commit as complete
 * and no marker reached the partitions.
 *
 * <p>An open transaction counts as hanging when, on two checks at least one check interval apart, it is the same
 * open transaction (producer id and first offset) and either
 * <ul>
 *   <li>its producer's coordinator is visible and does not hold that partition in an ongoing or preparing
 *       transaction of that producer id (the fast case), or</li>
 *   <li>it has been open, as seen from here, longer than {@code maxTransactionAge} — the broker's
 *       {@code transaction.max.timeout.ms} (default 15 minutes): no coordinator lets a transaction live that long,
 *       so it holds whatever the coordinator's state or whether it is visible to this principal.</li>
 * </ul>
 * The remedy is Kafka's own (KIP-664, {@code kafka-transactions.sh abort}): {@link #abort} writes an abort marker on
 * that partition, which needs ALTER (or CLUSTER_ACTION) on the cluster. Aborting drops the hanging records on that
 * partition; a transaction whose coordinator wrote no marker anywhere is then rolled back everywhere (its offsets
 * too, so its input is processed again), which keeps exactly-once.
 *
 * <p>Not thread-safe: one {@link TransactionWatchdog} thread uses it.
 */
public final class HangingTransactions {

    /** Kafka's default {@code transaction.max.timeout.ms}. */
    public static final Duration DEFAULT_MAX_TRANSACTION_AGE = Duration.ofMinutes(15);

    private static final Set<TransactionState> HOLDING = Set.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** One open transaction on one partition, as the partition's leader describes it. */
    public record Hanging(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
            long firstOffset, String transactionalId, String why) {

        /** The operator's equivalent, for a log line where this principal may not abort. */
        public String command() {
            return "kafka-transactions.sh --bootstrap-server <brokers> abort --topic " + partition.topic()
                    + " --partition " + partition.partition() + " --start-offset " + firstOffset;
        }
    }

    /** What is known of one partition's open transaction: whose, from where, since when, how often not held. */
    private record Seen(long producerId, long firstOffset, long firstSeenNanos, int notHeldSightings) {
        Seen notHeld() {
            return new Seen(producerId, firstOffset, firstSeenNanos, notHeldSightings + 1);
        }

        Seen held() {
            return new Seen(producerId, firstOffset, firstSeenNanos, 0);
        }
    }

    /** A transactional id and what its coordinator says of it. */
    private record Coordinated(String transactionalId, TransactionDescription description) {
    }

    private final Admin admin;
    private final Duration timeout;
    private final Duration maxTransactionAge;
    private final LongSupplier nanoClock;
    private final Map<TopicPartition, Seen> open = new HashMap<>();

    /**
     * @param admin             the role's admin client (not closed here)
     * @param timeout           bound of each admin call
     * @param maxTransactionAge the cluster's {@code transaction.max.timeout.ms} (or more)
     */
    public HangingTransactions(Admin admin, Duration timeout, Duration maxTransactionAge) {
        this(admin, timeout, maxTransactionAge, System::nanoTime);
    }

    HangingTransactions(Admin admin, Duration timeout, Duration maxTransactionAge, LongSupplier nanoClock) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxTransactionAge = Objects.requireNonNull(maxTransactionAge, "maxTransactionAge");
        this.nanoClock = nanoClock;
    }

    /**
     * Looks at the open transactions on {@code partitions} and returns those that are now confirmed hanging (see the
     * class comment). A partition whose leader or coordinator does not answer is left for the next check.
     */
    public List<Hanging> check(Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, ProducerState> openNow = openTransactions(partitions);
        open.keySet().removeIf(tp -> !sameAsBefore(tp, openNow.get(tp)));
        long now = nanoClock.getAsLong();
        Map<Long, List<Coordinated>> coordinators = coordinatorsOf(openNow.values());
        List<Hanging> hanging = new ArrayList<>();
        for (Map.Entry<TopicPartition, ProducerState> e : openNow.entrySet()) {
            TopicPartition tp = e.getKey();
            ProducerState state = e.getValue();
            long first = state.currentTransactionStartOffset().getAsLong();
            Seen seen = open.getOrDefault(tp, new Seen(state.producerId(), first, now, 0));
            List<Coordinated> described = coordinators.getOrDefault(state.producerId(), List.of());
            boolean visible = !described.isEmpty();
            String transactionalId = visible ? described.get(0).transactionalId() : null;
            boolean held = described.stream().map(Coordinated::description).anyMatch(d -> d.producerId() == state.producerId()
                    && HOLDING.contains(d.state()) && d.topicPartitions().contains(tp));
            // a coordinator that cannot be seen neither confirms nor clears a not-held sighting
            seen = held ? seen.held() : visible ? seen.notHeld() : seen;
            open.put(tp, seen);
            Duration age = Duration.ofNanos(now - seen.firstSeenNanos());
            String why = null;
            if (visible && !held && seen.notHeldSightings() >= 2) {
                why = "its coordinator (transactional id " + transactionalId + ", " + described.get(0).description().state()
                        + ") does not hold this partition open";
            } else if (age.compareTo(maxTransactionAge) > 0) {
                why = "open for more than " + maxTransactionAge.toSeconds() + " s, longer than any transaction may last";
            }
            if (why != null) {
                hanging.add(new Hanging(tp, state.producerId(), state.producerEpoch(), state.coordinatorEpoch().orElse(0),
                        first, transactionalId, why));
            }
        }
        return hanging;
    }

    /** Writes an abort marker for {@code hanging} on its partition (KIP-664); the partition's readers move on. */
    public void abort(Hanging hanging) throws ExecutionException, InterruptedException, TimeoutException {
        admin.abortTransaction(new AbortTransactionSpec(hanging.partition(), hanging.producerId(),
                (short) hanging.producerEpoch(), hanging.coordinatorEpoch())).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        open.remove(hanging.partition());
    }

    private boolean sameAsBefore(TopicPartition tp, ProducerState now) {
        Seen before = open.get(tp);
        return now != null && before.producerId() == now.producerId()
                && before.firstOffset() == now.currentTransactionStartOffset().getAsLong();
    }

    /** The producer with an open transaction on each partition that answered (at most one per partition matters). */
    private Map<TopicPartition, ProducerState> openTransactions(Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, ProducerState> out = new HashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        DescribeProducersResult result = admin.describeProducers(partitions);
        for (TopicPartition tp : partitions) {
            try {
                DescribeProducersResult.PartitionProducerState state = result.partitionResult(tp)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                state.activeProducers().stream()
                        .filter(p -> p.currentTransactionStartOffset().isPresent())
                        .min(java.util.Comparator.comparingLong(p -> p.currentTransactionStartOffset().getAsLong()))
                        .ifPresent(p -> out.put(tp, p));
            } catch (ExecutionException | TimeoutException e) {
                // leader moving, partition gone, or not allowed: nothing to judge on this check
            }
        }
        return out;
    }

    /** The coordinator's view of each producer id, where this principal may see it; absent where it may not. */
    private Map<Long, List<Coordinated>> coordinatorsOf(Collection<ProducerState> producers) throws InterruptedException {
        Map<Long, List<Coordinated>> out = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        producers.forEach(p -> ids.add(p.producerId()));
        if (ids.isEmpty()) {
            return out;
        }
        try {
            Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions().filterProducerIds(ids))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> transactionalIds = listings.stream().map(TransactionListing::transactionalId).toList();
            if (transactionalIds.isEmpty()) {
                return out;
            }
            Map<String, TransactionDescription> described = admin.describeTransactions(transactionalIds).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            described.forEach((id, d) -> out.computeIfAbsent(d.producerId(), k -> new ArrayList<>()).add(new Coordinated(id, d)));
        } catch (ExecutionException | TimeoutException e) {
            // a coordinator loading or unreachable: judge on a later check
            return Map.of();
        }
        return out;
    }
}

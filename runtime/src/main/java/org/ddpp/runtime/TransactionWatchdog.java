package org.ddpp.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the partitions a role reads and writes transactionally for {@link HangingTransactions hanging
 * transactions} and aborts each one it finds, so that a broker fault at an unlucky moment cannot stop the pipeline
 * for good. Runs on its own daemon thread every {@code interval}; counts what it aborted
 * ({@code <role>.hanging.transactions.aborted}) and shows what it found but may not abort
 * ({@code <role>.hanging.transactions}: the principal lacks ALTER on the cluster — then an ERROR line names the
 * {@code kafka-transactions.sh} command an operator runs).
 */
public final class TransactionWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionWatchdog.class);

    private final String role;
    private final Admin admin;
    private final Predicate<String> topics;
    private final Duration interval;
    private final HangingTransactions detector;
    private final Counter aborted;
    private final AtomicInteger unresolved = new AtomicInteger();
    private final Set<String> reported = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    private TransactionWatchdog(String role, Admin admin, Predicate<String> topics, Duration interval,
            Duration maxTransactionAge, RoleMeters meters) {
        this.role = role;
        this.admin = admin;
        this.topics = topics;
        this.interval = interval;
        Duration call = interval.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : interval;
        this.detector = new HangingTransactions(admin, call, maxTransactionAge);
        this.aborted = meters.counter("hanging_transactions_aborted");
        meters.gauge("hanging_transactions", unresolved::get);
        this.thread = new Thread(this::run, "ddpp-" + role + "-transaction-watchdog");
        thread.setDaemon(true);
    }

    /**
     * Starts watching every partition of the topics {@code topics} accepts (internal topics included, so
     * {@code __consumer_offsets} can be named), every {@code interval}. The admin client is closed with the watchdog.
     */
    public static TransactionWatchdog start(String role, Admin admin, Predicate<String> topics, Duration interval,
            Duration maxTransactionAge, RoleMeters meters) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the hanging-transaction check interval must be positive, got " + interval);
        }
        TransactionWatchdog watchdog = new TransactionWatchdog(role, admin, topics, interval, maxTransactionAge, meters);
        watchdog.thread.start();
        return watchdog;
    }

    /** Hanging transactions aborted so far. */
    public long aborted() {
        return (long) aborted.count();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
                checkOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("{}: hanging-transaction check skipped: {}", role, e.toString());
            }
        }
    }

    private void checkOnce() throws InterruptedException {
        List<HangingTransactions.Hanging> found = detector.check(partitions());
        int left = 0;
        for (HangingTransactions.Hanging h : found) {
            try {
                detector.abort(h);
                aborted.increment();
                LOG.warn("{}: aborted a hanging transaction on {} from offset {} (producer id {}, epoch {}): {}; its"
                        + " readers move on", role, h.partition(), h.firstOffset(), h.producerId(), h.producerEpoch(), h.why());
            } catch (ExecutionException e) {
                left++;
                String key = h.partition() + "@" + h.firstOffset();
                if (reported.add(key)) {
                    String reason = e.getCause() instanceof ClusterAuthorizationException
                            ? "this principal needs ALTER on the cluster to abort it" : String.valueOf(e.getCause());
                    LOG.error("{}: hanging transaction on {} from offset {} ({}) blocks its readers and could not be"
                            + " aborted: {}; an operator can run: {}", role, h.partition(), h.firstOffset(), h.why(), reason, h.command());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                left++;
            }
        }
        unresolved.set(left);
    }

    private Collection<TopicPartition> partitions() throws InterruptedException {
        try {
            List<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS).stream().filter(topics).toList();
            if (names.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            List<TopicPartition> out = new ArrayList<>();
            described.values().forEach(d -> d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
            return out;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return List.of();
        }
    }

    /** Stops the thread within a few seconds and closes the admin client. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}

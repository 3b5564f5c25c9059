package org.ddpp.ops.chaos;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.testkit.GhostTransactions;

/**
 * The {@code hang:*} faults: a transaction left open on one partition of a topic that its coordinator will never
 * end (what a kill -9 of the broker while a transaction commits has left behind), written with
 * {@link GhostTransactions} under a transactional id this run owns. The loop has recovered when the partition's
 * read_committed readers have passed it, i.e. once the joiner's watchdog has aborted it.
 */
final class HangFault {

    static final String TRANSACTIONAL_ID = "ddpp-chaos-ghost";

    /** A ghost written at {@code offset} of {@code partition}. */
    record Ghost(TopicPartition partition, long offset) {
    }

    private final ClusterConnection connection;
    private final Admin admin;

    HangFault(ClusterConnection connection, Admin admin) {
        this.connection = connection;
        this.admin = admin;
    }

    /** Opens a ghost transaction on a random partition of {@code topic}. */
    Ghost inject(String topic, Random random) throws Exception {
        Map<String, Object> p = connection.producerProperties("ddpp-chaos-ghost");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        try (KafkaProducer<byte[], byte[]> owner = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            // a new epoch each time, so the coordinator holds nothing open for this id and the ghost's sequence 0 is new
            owner.initTransactions();
        }
        TransactionDescription d = admin.describeTransactions(List.of(TRANSACTIONAL_ID)).all().get(30, TimeUnit.SECONDS)
                .get(TRANSACTIONAL_ID);
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
        TopicPartition tp = new TopicPartition(topic, random.nextInt(partitions));
        long offset = GhostTransactions.open(connection.bootstrapServers(), tp, TRANSACTIONAL_ID, d.producerId(), (short) d.producerEpoch());
        return new Ghost(tp, offset);
    }

    /** True once read_committed readers of the ghost's partition can read past it; false while that is unknown. */
    boolean passed(Ghost ghost) throws InterruptedException {
        try {
            return org.ddpp.runtime.StableOffsets.of(admin, List.of(ghost.partition()), java.time.Duration.ofSeconds(10))
                    .get(ghost.partition()) > ghost.offset();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false; // the broker is restarting: ask again
        }
    }
}

package org.ddpp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ddpp.runtime.HangingTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HangingTransactions} on a real broker: a transaction its coordinator does not hold open is flagged on the
 * second check (never on the first, which may race a commit), one whose producer no coordinator knows only once it
 * is older than any transaction may be, a live transaction never; aborting one frees the partition's readers.
 */
class HangingTransactionsTest {

    @TempDir Path dir;

    @Test
    void flagsOnlyTransactionsNoCoordinatorWillEndAndAbortingFreesThePartition() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(dir).optTopics(List.of())
                .optBrokerProperty(GhostTransactions.BROKER_PROPERTY, "false").start();
                Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("t", 3, (short) 1))).all().get();
            TopicPartition ghostOfKnown = new TopicPartition("t", 0);
            TopicPartition live = new TopicPartition("t", 1);
            TopicPartition ghostOfUnknown = new TopicPartition("t", 2);
            try (KafkaProducer<String, String> known = producer(kafka, "known");
                    KafkaProducer<String, String> busy = producer(kafka, "busy")) {
                known.initTransactions();
                TransactionDescription owner = admin.describeTransactions(List.of("known")).all().get().get("known");
                GhostTransactions.open(kafka.bootstrapServers(), ghostOfKnown, "known", owner.producerId(), (short) owner.producerEpoch());
                GhostTransactions.open(kafka.bootstrapServers(), ghostOfUnknown, "nobody", 987_654L, (short) 0);
                busy.initTransactions();
                busy.beginTransaction();
                busy.send(new ProducerRecord<>("t", 1, "k", "open")).get();

                HangingTransactions detector = new HangingTransactions(admin, Duration.ofSeconds(10), Duration.ofSeconds(4));
                List<TopicPartition> all = List.of(ghostOfKnown, live, ghostOfUnknown);
                assertEquals(List.of(), detector.check(all), "a first sighting never counts");
                List<HangingTransactions.Hanging> second = detector.check(all);
                assertEquals(List.of(ghostOfKnown), second.stream().map(HangingTransactions.Hanging::partition).toList(),
                        "only the transaction its visible coordinator does not hold: " + second);
                assertEquals("known", second.get(0).transactionalId());

                Thread.sleep(4_500);
                List<TopicPartition> old = detector.check(List.of(ghostOfUnknown)).stream()
                        .map(HangingTransactions.Hanging::partition).toList();
                assertEquals(List.of(ghostOfUnknown), old, "a transaction older than any may be hangs whoever owns it");

                detector.abort(second.get(0));
                known.beginTransaction();
                long after = known.send(new ProducerRecord<>("t", 0, "k", "after")).get().offset();
                known.commitTransaction();
                // the commit marker is written just after commitTransaction returns
                Wait.atMost(Duration.ofSeconds(20), Duration.ZERO)
                        .until(() -> endOffset(admin, ghostOfKnown, IsolationLevel.READ_COMMITTED) > after);
                assertTrue(endOffset(admin, ghostOfUnknown, IsolationLevel.READ_COMMITTED) == 0, "the other ghost still blocks");
                busy.commitTransaction();
            }
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka, String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
    }

    private static long endOffset(Admin admin, TopicPartition tp, IsolationLevel level) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(level)).all().get().get(tp).offset();
    }
}

package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.dlq.DeadLetters;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;

/**
 * Settled candidates are counted as records, not offsets: gaps left by transaction markers in the rewards topic
 * do not count as consumed, and a candidate dead-lettered twice (or a dead letter of another topic or of a scorer)
 * counts once (or not at all), with memory bounded by the de-duplication window, not by the dead-letter history.
 */
class SettledCounterTest {

    /** Waits only turn a hang into a failure; they are not speed assertions. */
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(10);

    private static final TopicPartition REWARDS = new TopicPartition("rewards", 0);
    private static final TopicPartition DLQ = new TopicPartition("dlq", 0);

    @Test
    void countsRecordsBelowTheCommittedOffsetAndDistinctDeadCandidates() throws Exception {
        CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
        Serializer<DeadLetter> letters = new AvroSerializer<>(registry, true, false);
        MockConsumer<byte[], byte[]> consumer = consumerOf(REWARDS, DLQ);
        consumer.updateEndOffsets(Map.of(REWARDS, 8L, DLQ, 3L));
        SettledCounter counter = new SettledCounter(consumer, "rewards", "dlq", "candidates",
                new AvroDeserializer<>(registry, DeadLetter.class));
        Thread thread = new Thread(counter, "counter-test");
        thread.start();
        try {
            Wait.atMost(LIMIT, POLL).until(() -> consumer.assignment().size() == 2);
            assertFalse(counter.caughtUp());
            assertEquals(4, counter.consumedBelow(Map.of(0, 4L)), "nothing read yet: estimated by offsets");
            for (long offset : new long[] {0, 1, 2, 4, 5, 7}) { // 3 and 6 are transaction markers
                consumer.addRecord(new ConsumerRecord<>("rewards", 0, offset, key(offset), new byte[] {1}));
            }
            byte[] dead = letter(letters, "candidates", 1, 5);
            consumer.addRecord(new ConsumerRecord<>("dlq", 0, 0L, key(0), dead));
            consumer.addRecord(new ConsumerRecord<>("dlq", 0, 1L, key(1), dead)); // the same candidate again
            consumer.addRecord(new ConsumerRecord<>("dlq", 0, 2L, key(2), letter(letters, "policy", 0, 9)));
            Wait.atMost(LIMIT, POLL).until(counter::caughtUp);
            assertEquals(3, counter.consumedBelow(Map.of(0, 4L)));
            assertEquals(5, counter.consumedBelow(Map.of(0, 7L)));
            assertEquals(6, counter.consumedBelow(Map.of(0, 8L)));
            assertEquals(1, counter.deadLetteredCandidates());
            assertTrue(counter.consumedBelow(Map.of(0, 6L)) <= 6, "a rewound commit never counts more than before");
        } finally {
            counter.stop();
            thread.join(10_000);
        }
        assertFalse(thread.isAlive());
    }

    @Test
    void aLongDeadLetterHistoryIsCountedWithBoundedMemory() throws Exception {
        CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());
        Serializer<DeadLetter> letters = new AvroSerializer<>(registry, true, false);
        MockConsumer<byte[], byte[]> consumer = consumerOf(DLQ);
        int candidates = 1_000;
        consumer.updateEndOffsets(Map.of(DLQ, (long) candidates * 2 + 1));
        SettledCounter counter = new SettledCounter(consumer, "rewards", "dlq", "candidates",
                new AvroDeserializer<>(registry, DeadLetter.class), 100);
        Thread thread = new Thread(counter, "counter-test");
        thread.start();
        try {
            Wait.atMost(LIMIT, POLL).until(() -> consumer.assignment().size() == 1);
            long dlqOffset = 0;
            for (int i = 0; i < candidates; i++) {
                // a scorer's dead letter of the record first, then the joiner's verdict on it
                consumer.addRecord(new ConsumerRecord<>("dlq", 0, dlqOffset++, key(i), letter(letters, "scorer:a", "candidates", i % 4, i)));
                consumer.addRecord(new ConsumerRecord<>("dlq", 0, dlqOffset++, key(i), letter(letters, "joiner:decode", "candidates", i % 4, i)));
            }
            consumer.addRecord(new ConsumerRecord<>("dlq", 0, dlqOffset, key(0),
                    letter(letters, "joiner:decode", "candidates", (candidates - 1) % 4, candidates - 1))); // a repeat
            Wait.atMost(LIMIT, POLL).until(counter::caughtUp);
            assertEquals(candidates, counter.deadLetteredCandidates());
            assertTrue(counter.remembered() <= 100, "remembers " + counter.remembered() + " dead letters");
        } finally {
            counter.stop();
            thread.join(10_000);
        }
    }

    @Test
    void theTallyGrowsAndCompactsItsQueue() {
        SettledCounter.Tally tally = new SettledCounter.Tally();
        for (long offset = 0; offset < 1000; offset += 2) {
            tally.record(offset);
        }
        tally.readUpTo(1000);
        assertEquals(250, tally.consumed(500));
        for (long offset = 1000; offset < 3000; offset += 2) {
            tally.record(offset);
        }
        tally.readUpTo(3000);
        assertEquals(1500, tally.consumed(3000));
    }

    /** A mock consumer that knows {@code partitions} (partition 0 of each topic), all beginning at offset 0. */
    private static MockConsumer<byte[], byte[]> consumerOf(TopicPartition... partitions) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> beginnings = new java.util.HashMap<>();
        for (TopicPartition tp : partitions) {
            consumer.updatePartitions(tp.topic(), List.of(new PartitionInfo(tp.topic(), tp.partition(), Node.noNode(), new Node[0], new Node[0])));
            beginnings.put(tp, 0L);
        }
        consumer.updateBeginningOffsets(beginnings);
        return consumer;
    }

    private static byte[] letter(Serializer<DeadLetter> serializer, String sourceTopic, int partition, long offset) {
        return letter(serializer, "joiner:timeout", sourceTopic, partition, offset);
    }

    private static byte[] letter(Serializer<DeadLetter> serializer, String stage, String sourceTopic, int partition, long offset) {
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(sourceTopic, partition, offset, key(offset), new byte[] {9});
        return serializer.serialize("dlq", DeadLetters.of(raw, stage, "no score", null));
    }

    private static byte[] key(long i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }
}

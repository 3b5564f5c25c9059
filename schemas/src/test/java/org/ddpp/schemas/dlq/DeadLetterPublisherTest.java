package org.ddpp.schemas.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ddpp.schemas.Samples;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.junit.jupiter.api.Test;

/** The decoder and publisher without a broker (Kafka's MockProducer records what would be sent). */
class DeadLetterPublisherTest {

    private final CachedSchemaRegistry registry = new CachedSchemaRegistry(new InMemorySchemaRegistry());

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("ddpp.candidates", 0, offset, "key".getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void decodesGoodRecordsAndDeadLettersBadOnesWithCounts() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer, registry);
        RecordDecoder<String, Candidate> decoder = new RecordDecoder<>(new StringDeserializer(),
                new AvroDeserializer<>(registry, Candidate.class), publisher, "scorer:test");
        byte[] good = new AvroSerializer<Candidate>(registry, true, false).serialize("ddpp.candidates", Samples.candidate("c"));

        assertEquals("c", decoder.decode(record(0, good)).orElseThrow().value().getId());
        assertTrue(decoder.decode(record(1, new byte[] {1, 2, 3})).isEmpty());
        assertNull(decoder.decode(record(2, null)).orElseThrow().value());

        assertEquals(1, publisher.total());
        assertEquals(Map.of("scorer:test", 1L), publisher.countsByStage());
        assertEquals(1, producer.history().size());
        assertEquals(Topics.DLQ.name(), producer.history().get(0).topic());
        DeadLetter letter = new AvroDeserializer<>(registry, DeadLetter.class).deserialize(Topics.DLQ.name(), producer.history().get(0).value());
        assertEquals(1L, letter.getSourceOffset());
        assertTrue(letter.getReason().startsWith("undecodable value: record of 3 bytes"), letter.getReason());
    }

    @Test
    void aDeadLetterThatCannotBeWrittenStopsTheCaller() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer, registry);
        Thread failer = new Thread(() -> {
            while (!producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"))) {
                Thread.onSpinWait();
            }
        });
        failer.start();
        DeadLetterException e = assertThrows(DeadLetterException.class,
                () -> publisher.publish(record(5, new byte[] {9}), "joiner", "bad", null));
        assertTrue(e.getMessage().contains("broker gone"), e.getMessage());
        assertEquals(0, publisher.total());
        assertEquals(List.of(), List.copyOf(publisher.countsByStage().keySet()));
    }
}

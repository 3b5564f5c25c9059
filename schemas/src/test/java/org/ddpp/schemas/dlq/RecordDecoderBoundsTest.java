package org.ddpp.schemas.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.SerializationException;
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
import org.ddpp.schemas.serde.Crafted;
import org.junit.jupiter.api.Test;

/** The issue's poll: a good candidate, the 26-byte record, another good candidate, through one RecordDecoder. */
class RecordDecoderBoundsTest {

    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
    private final CachedSchemaRegistry registry = new CachedSchemaRegistry(schemas);

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("ddpp.candidates", 0, offset, ("k" + offset).getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void theCraftedRecordIsDeadLetteredWithItsReasonAndTheGoodOnesAroundItDecode() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer, registry);
        RecordDecoder<String, Candidate> decoder = new RecordDecoder<>(new StringDeserializer(),
                new AvroDeserializer<>(registry, Candidate.class), publisher, "scorer:grid-center");
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(registry, true, false);
        byte[] first = serializer.serialize("ddpp.candidates", Samples.candidate("good-1"));
        byte[] crafted = Crafted.issueRecord(schemas.latest("ddpp.candidates-value").id());
        byte[] last = serializer.serialize("ddpp.candidates", Samples.candidate("good-2"));

        List<String> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : List.of(record(0, first), record(1, crafted), record(2, last))) {
            Optional<RecordDecoder.Decoded<String, Candidate>> d = decoder.decode(r);
            d.ifPresent(x -> decoded.add(x.value().getId()));
        }

        assertEquals(List.of("good-1", "good-2"), decoded);
        assertEquals(1, publisher.total());
        assertEquals(1, producer.history().size());
        DeadLetter letter = new AvroDeserializer<>(registry, DeadLetter.class)
                .deserialize(Topics.DLQ.name(), producer.history().get(0).value());
        assertEquals(1L, letter.getSourceOffset());
        assertEquals("scorer:grid-center", letter.getStage());
        assertEquals(SerializationException.class.getName(), letter.getExceptionClass());
        assertTrue(letter.getReason().startsWith("undecodable value: corrupt Avro payload for org.ddpp.schemas.avro.Candidate"),
                letter.getReason());
        assertTrue(letter.getReason().contains("array block of 2147483639 items exceeds the 0 bytes left in the record"),
                letter.getReason());
        ByteBuffer value = letter.getValue();
        byte[] kept = new byte[value.remaining()];
        value.get(kept);
        assertArrayEquals(crafted, kept);
    }
}

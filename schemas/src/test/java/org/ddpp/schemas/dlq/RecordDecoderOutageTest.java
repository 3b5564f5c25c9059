package org.ddpp.schemas.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ddpp.schemas.registry.InMemorySchemaRegistry;
import org.ddpp.schemas.registry.RegistryOutageException;
import org.ddpp.schemas.registry.SchemaRegistryException;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.junit.jupiter.api.Test;

/** An unreachable registry is not the record's fault: nothing is dead-lettered and the reader is told to retry. */
class RecordDecoderOutageTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final DeadLetterPublisher letters = new DeadLetterPublisher(producer, new CachedSchemaRegistry(new InMemorySchemaRegistry()));
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("ddpp.rewards", 2, 7L,
            "k".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, 2});

    private RecordDecoder<String, String> decoderFailingWith(SchemaRegistryException cause) {
        Deserializer<String> values = (topic, bytes) -> {
            throw new SerializationException("cannot fetch schema id 1: " + cause.getMessage(), cause);
        };
        return new RecordDecoder<>(new StringDeserializer(), values, letters, "trainer");
    }

    @Test
    void anUnreachableOrFailingRegistryIsRetriedNotDeadLettered() {
        for (int status : new int[] {0, 500, 503}) {
            RecordDecoder<String, String> decoder = decoderFailingWith(
                    new SchemaRegistryException(status, status == 0 ? SchemaRegistryException.UNREACHABLE : 50001, "down"));
            RegistryOutageException e = assertThrows(RegistryOutageException.class, () -> decoder.decode(record));
            assertTrue(e.getMessage().contains("ddpp.rewards-2@7"), e.getMessage());
            assertEquals(0, producer.history().size(), "an outage must not dead-letter a good record (status " + status + ")");
        }
    }

    @Test
    void anUnknownSchemaIdIsTheRecordsFaultAndDeadLettered() {
        RecordDecoder<String, String> decoder = decoderFailingWith(
                new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "schema not found"));
        assertTrue(decoder.decode(record).isEmpty());
        assertEquals(1, producer.history().size());
    }
}

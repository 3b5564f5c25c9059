package org.ddpp.schemas.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.ddpp.schemas.avro.DeadLetter;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void keepsRawBytesHeadersAndWhereTheRecordCameFrom() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("ddpp.scores", 2, 41L,
                "k".getBytes(StandardCharsets.UTF_8), new byte[] {9, 8, 7});
        record.headers().add("trace", "abc".getBytes(StandardCharsets.UTF_8)).add("empty", null);
        DeadLetter letter = DeadLetters.of(record, "joiner", "bad bytes", new SerializationException("x"));
        assertEquals(ByteBuffer.wrap(new byte[] {9, 8, 7}), letter.getValue());
        assertEquals(ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)), letter.getKey());
        assertEquals("ddpp.scores", letter.getSourceTopic());
        assertEquals(2, letter.getSourcePartition());
        assertEquals(41L, letter.getSourceOffset());
        assertEquals("joiner", letter.getStage());
        assertEquals("bad bytes", letter.getReason());
        assertEquals(SerializationException.class.getName(), letter.getExceptionClass());
        assertEquals(2, letter.getHeaders().size());
        assertEquals("trace", letter.getHeaders().get(0).getKey());
        assertNull(letter.getHeaders().get(1).getValue());
    }
}

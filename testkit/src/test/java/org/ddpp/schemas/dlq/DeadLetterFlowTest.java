package org.ddpp.schemas.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.testkit.TestStack;
import org.ddpp.testkit.Wait;
import org.junit.jupiter.api.Test;

/**
 * Bad input on a real broker: random bytes, an unknown schema id and a truncated Avro payload each land in
 * ddpp.dlq with a reason, are counted, and the consumer goes on to decode the valid records after them.
 */
class DeadLetterFlowTest {

    @Test
    void badRecordsAreDeadLetteredAndTheConsumerCarriesOn() throws Exception {
        TestStack stack = TestStack.get();
        CachedSchemaRegistry registry = stack.cache();
        String topic = "dlq-flow-" + UUID.randomUUID();
        AvroSerializer<Candidate> serializer = new AvroSerializer<>(registry, true, false);
        byte[] good = serializer.serialize(topic, candidate("before"));
        byte[] random = new byte[40];
        new Random(7).nextBytes(random);
        random[0] = 0x2a;
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 999_999);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);

        try (KafkaProducer<byte[], byte[]> producer = stack.producer()) {
            List<byte[]> values = List.of(good, random, unknownId, truncated, serializer.serialize(topic, candidate("after")));
            for (int i = 0; i < values.size(); i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, ("k" + i).getBytes(StandardCharsets.UTF_8), values.get(i));
                record.headers().add("origin", "test".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }

        List<Candidate> decoded = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> dlqProducer = stack.producer();
                KafkaConsumer<byte[], byte[]> consumer = stack.consumer(topic)) {
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(dlqProducer, registry);
            RecordDecoder<String, Candidate> decoder = new RecordDecoder<>(
                    new StringDeserializer(), new AvroDeserializer<>(registry, Candidate.class), deadLetters, "test:dlq-flow");
            Wait.atMost(Duration.ofSeconds(60), Duration.ZERO).alias("the two valid records decoded").until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decoder.decode(record).ifPresent(d -> decoded.add(d.value()));
                }
                return decoded.size() >= 2;
            });
            assertEquals(List.of("before", "after"), decoded.stream().map(Candidate::getId).toList());
            assertEquals(3, deadLetters.total());
            assertEquals(3L, deadLetters.countsByStage().get("test:dlq-flow"));
        }

        AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
        List<DeadLetter> found = stack.readUntil(Topics.DLQ.name(),
                r -> letters.deserialize(Topics.DLQ.name(), r.value()).getSourceTopic().equals(topic), 3)
                .stream().map(r -> letters.deserialize(Topics.DLQ.name(), r.value())).toList();
        assertEquals(List.of(1L, 2L, 3L), found.stream().map(DeadLetter::getSourceOffset).toList());
        assertTrue(found.get(0).getReason().contains("unknown magic byte 0x2a"), found.get(0).getReason());
        assertTrue(found.get(1).getReason().contains("schema id 999999 is unknown"), found.get(1).getReason());
        // a truncated record: the bounded decoder names the length that no longer fits in what is left of it
        assertTrue(found.get(2).getReason().matches(".*length \\d+ exceeds the \\d+ bytes left in the record.*"), found.get(2).getReason());
        assertEquals(ByteBuffer.wrap(random), found.get(0).getValue());
        assertEquals(ByteBuffer.wrap("k2".getBytes(StandardCharsets.UTF_8)), found.get(1).getKey());
        assertEquals("origin", found.get(2).getHeaders().get(0).getKey());
        assertEquals("test:dlq-flow", found.get(2).getStage());
        assertEquals("org.apache.kafka.common.errors.SerializationException", found.get(2).getExceptionClass());
    }

    private static Candidate candidate(String id) {
        return Candidate.newBuilder().setId(id).setRun("r").setTask("grid").setTokens(List.of(1, 2, 3)).setText("abc")
                .setPolicyVersion(1).setSource(CandidateSource.POLICY).setSamplerId("s").setSeed(1)
                .setCreatedAt(Instant.ofEpochMilli(1_000)).build();
    }
}

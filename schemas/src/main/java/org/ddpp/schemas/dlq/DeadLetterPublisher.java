package org.ddpp.schemas.dlq;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every consumer hands a record it cannot use: writes a {@link DeadLetter} to {@code ddpp.dlq}
 * (waiting for the broker's acknowledgement, so the caller may commit the source offset afterwards) and counts
 * it per stage. The counts are the {@code dlq_total} metric roles report.
 */
public final class DeadLetterPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Serializer<DeadLetter> serializer;
    private final String topic;
    private final LongAdder total = new LongAdder();
    private final Map<String, LongAdder> byStage = new ConcurrentHashMap<>();

    /** Publishes with {@code producer} (which may be transactional) to {@link Topics#DLQ}. */
    public DeadLetterPublisher(Producer<byte[], byte[]> producer, CachedSchemaRegistry registry) {
        this(producer, new AvroSerializer<>(registry, true, false), Topics.DLQ.name());
    }

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, Serializer<DeadLetter> serializer, String topic) {
        this.producer = producer;
        this.serializer = serializer;
        this.topic = topic;
    }

    /**
     * Dead-letters {@code record}: stage is who gave up (e.g. {@code scorer:length}), reason is readable, cause
     * may be null. Returns where the dead letter landed; throws {@link DeadLetterException} when it could not be
     * written.
     */
    public RecordMetadata publish(ConsumerRecord<byte[], byte[]> record, String stage, String reason, Throwable cause) {
        DeadLetter letter = DeadLetters.of(record, stage, reason, cause);
        try {
            byte[] value = serializer.serialize(topic, letter);
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, null, record.key(), value)).get();
            total.increment();
            byStage.computeIfAbsent(stage, s -> new LongAdder()).increment();
            LOG.warn("dead-lettered {}-{}@{} at stage {}: {}", record.topic(), record.partition(), record.offset(),
                    stage, letter.getReason());
            return metadata;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while dead-lettering " + record.topic() + "@" + record.offset(), e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            throw new DeadLetterException("cannot write dead letter for " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + why, why);
        }
    }

    /** Dead letters written by this publisher since it started. */
    public long total() {
        return total.sum();
    }

    /** Dead letters written per stage. */
    public Map<String, Long> countsByStage() {
        Map<String, Long> out = new TreeMap<>();
        byStage.forEach((stage, count) -> out.put(stage, count.sum()));
        return out;
    }
}

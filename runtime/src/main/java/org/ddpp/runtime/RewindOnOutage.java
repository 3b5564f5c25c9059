package org.ddpp.runtime;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.ddpp.schemas.registry.RegistryOutageException;

/**
 * Hands each polled record to a handler; when the schema registry is unreachable while decoding a record, seeks its
 * partition back to that record (so it and the rest of the poll are read again later) and rethrows once the other
 * partitions of the poll are done. Shared by every reader of a consumer it polls itself (the samplers' policy
 * follower and settled-candidate counter, the trainer's reward reader).
 */
public final class RewindOnOutage {

    /** What to do with one record; may throw {@link RegistryOutageException}. */
    public interface Handler {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private RewindOnOutage() {}

    public static void process(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> batch, Handler handler) {
        RuntimeException outage = null;
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : batch.records(tp)) {
                try {
                    handler.accept(record);
                } catch (RegistryOutageException e) {
                    consumer.seek(tp, record.offset()); // read it and the rest again later
                    outage = e;
                    break;
                }
            }
        }
        if (outage != null) {
            throw outage;
        }
    }
}

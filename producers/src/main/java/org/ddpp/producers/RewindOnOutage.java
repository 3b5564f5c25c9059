package org.ddpp.producers;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Hands each polled record to a handler; when the schema registry is unreachable while decoding a record, seeks its
 * partition back to that record (so it and the rest of the poll are read again later) and rethrows once the other
 * partitions of the poll are done. Shared by the policy follower and the settled-candidate counter.
 */
final class RewindOnOutage {

    /** What to do with one record; may throw {@link RegistryOutageException}. */
    interface Handler {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private RewindOnOutage() {}

    static void process(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> batch, Handler handler) {
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

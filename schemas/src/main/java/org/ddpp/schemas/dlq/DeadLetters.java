package org.ddpp.schemas.dlq;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.DeadLetterHeader;

/** Builds {@link DeadLetter} records from raw consumer records; pure functions, no I/O. */
public final class DeadLetters {

    private DeadLetters() {}

    /** The dead letter for {@code record}, given up on by {@code stage} for {@code reason}. */
    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record, String stage, String reason, Throwable cause) {
        List<DeadLetterHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new DeadLetterHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return DeadLetter.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setHeaders(headers)
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setStage(stage)
                .setReason(reason == null || reason.isBlank() ? String.valueOf(cause) : reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setFailedAt(Instant.now())
                .build();
    }
}

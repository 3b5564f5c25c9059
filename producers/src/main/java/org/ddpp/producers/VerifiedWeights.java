package org.ddpp.producers;

import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A downloaded policy version whose size and sha256 matched its announcement, waiting to be loaded by the sampler
 * thread. Keeps the raw announcement so a load failure can still be dead-lettered with the original record.
 *
 * @param version the announced policy version
 * @param step    the trainer step it was taken at
 * @param file    the verified temporary file (deleted once loaded or rejected)
 * @param raw     the {@code PolicyUpdate} record as read from the policy topic
 */
public record VerifiedWeights(long version, long step, Path file, ConsumerRecord<byte[], byte[]> raw) {

    /** Removes the temporary file. */
    public void discard() {
        PolicyFetcher.deleteQuietly(file);
    }
}

package org.ddpp.producers;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ddpp.schemas.dlq.DeadLetterException;
import org.ddpp.schemas.dlq.DeadLetterPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a policy version a sampler cannot use: it is logged, counted as a bad policy file, and its
 * announcement goes to the dead-letter topic (stage {@value #STAGE}) with the reason. The sampler keeps its
 * current version either way.
 */
public final class PolicyRejections {

    /** Dead-letter stage of rejected policy versions. */
    public static final String STAGE = "sampler-policy";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRejections.class);

    private final DeadLetterPublisher deadLetters;
    private final SamplerMeters metrics;
    private final String samplerId;

    public PolicyRejections(DeadLetterPublisher deadLetters, SamplerMeters metrics, String samplerId) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.samplerId = samplerId;
    }

    /** Rejects policy {@code version} announced by {@code raw} for {@code reason}. */
    public void reject(ConsumerRecord<byte[], byte[]> raw, long version, String reason, Throwable cause) {
        metrics.rejectedPolicies.increment();
        LOG.warn("sampler {}: rejected policy version {} (keeping version {}): {}", samplerId, version,
                metrics.policyVersion.get(), reason);
        try {
            deadLetters.publish(raw, STAGE, "policy version " + version + ": " + reason, cause);
        } catch (DeadLetterException e) {
            LOG.error("sampler {}: could not dead-letter rejected policy version {}: {}", samplerId, version, e.getMessage());
        }
    }
}

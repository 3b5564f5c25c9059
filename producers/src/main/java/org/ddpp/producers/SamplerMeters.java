package org.ddpp.producers;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicLong;
import org.ddpp.runtime.RoleMeters;

/**
 * A sampler's meters, made once on its {@link RoleMeters} so that the sampler, its policy follower and its
 * rejections count into the same Micrometer meters that Prometheus scrapes and the {@code ddpp.metrics} topic
 * carries: {@code ddpp_sampler_candidates_total{source,sampler}} (a function counter over the published count the
 * sampler keeps anyway), {@code ddpp_sampler_outstanding} (and, registered by the sampler beside its flow gate, {@code _outstanding_bound} and
 * {@code _trainer_intake_rate}), {@code ddpp_sampler_policy_version},
 * {@code ddpp_sampler_paused}, swaps, stale batches, publish errors and {@code ddpp_dead_letters_total{stage}}
 * for rejected policy versions. Thread-safe.
 */
final class SamplerMeters {

    final AtomicLong published = new AtomicLong();
    final AtomicLong outstanding = new AtomicLong();
    final AtomicLong policyVersion = new AtomicLong();
    final AtomicLong announcedVersion = new AtomicLong();
    volatile boolean paused;

    final Counter batches;
    final Counter swaps;
    final Counter staleBatchesDropped;
    final Counter publishErrors;
    final Counter errors;
    final Counter pausedSeconds;
    final Counter rejectedPolicies;

    SamplerMeters(RoleMeters meters) {
        meters.counter("candidates", published::get);
        meters.gauge("outstanding", outstanding::get);
        meters.gauge("policy.version", policyVersion::get);
        meters.gauge("policy.version.announced", announcedVersion::get);
        meters.gauge("paused", () -> paused ? 1 : 0);
        rejectedPolicies = meters.deadLetters(PolicyRejections.STAGE);
        batches = meters.counter("batches");
        swaps = meters.counter("swaps");
        staleBatchesDropped = meters.counter("stale.batches.dropped");
        // failures: sends that failed after the producer's retries, batches that failed, time held by flow control
        publishErrors = meters.counter("publish.errors");
        errors = meters.counter("errors");
        pausedSeconds = meters.counter("paused.seconds");
    }

    /** Meters on a private registry, for the sampler's parts tested alone. */
    static SamplerMeters standalone() {
        return new SamplerMeters(RoleMeters.standalone("sampler", "test"));
    }
}

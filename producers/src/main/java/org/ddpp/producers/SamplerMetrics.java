package org.ddpp.producers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters and gauges of one sampler, updated by its threads and read by the metrics reporter and by
 * callers (the demo, tests). Thread-safe; every figure is also in the {@code Metrics} records it publishes.
 */
public final class SamplerMetrics {

    final AtomicLong published = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong swaps = new AtomicLong();
    final AtomicLong badPolicyFiles = new AtomicLong();
    final AtomicLong staleBatchesDropped = new AtomicLong();
    final AtomicLong publishErrors = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong pausedNanos = new AtomicLong();
    final AtomicLong outstanding = new AtomicLong();
    final AtomicLong policyVersion = new AtomicLong();
    final AtomicLong announcedVersion = new AtomicLong();
    volatile boolean paused;

    /** Candidates handed to the producer so far. */
    /**
     * Registers these numbers as the sampler's meters: {@code ddpp_sampler_candidates_total{source}},
     * {@code ddpp_sampler_outstanding}, {@code ddpp_sampler_policy_version}, {@code ddpp_sampler_paused} and
     * {@code ddpp_dead_letters_total{stage}} for rejected policy versions.
     */
    public void bind(org.ddpp.runtime.RoleMeters meters, String source, String sampler) {
        meters.counter("candidates", published::get, "source", source, "sampler", sampler);
        meters.gauge("outstanding", outstanding::get, "sampler", sampler);
        meters.gauge("policy.version", policyVersion::get, "sampler", sampler);
        meters.gauge("paused", () -> paused ? 1 : 0, "sampler", sampler);
        meters.counter("swaps", swaps::get, "sampler", sampler);
        meters.counter("stale.batches.dropped", staleBatchesDropped::get, "sampler", sampler);
        meters.deadLetters(badPolicyFiles::get, PolicyRejections.STAGE);
    }

    public long published() {
        return published.get();
    }

    /** Successful policy swaps. */
    public long swaps() {
        return swaps.get();
    }

    /** Policy files rejected (unreachable, wrong size or hash, wrong architecture). */
    public long badPolicyFiles() {
        return badPolicyFiles.get();
    }

    /** Batches sampled but not published because the policy moved on more than the staleness bound meanwhile. */
    public long staleBatchesDropped() {
        return staleBatchesDropped.get();
    }

    /** Candidates whose send failed after the producer's own retries. */
    public long publishErrors() {
        return publishErrors.get();
    }

    /** The latest outstanding-work estimate used by flow control. */
    public long outstanding() {
        return outstanding.get();
    }

    /** Total time spent paused by flow control, in seconds. */
    public double pausedSeconds() {
        return pausedNanos.get() / 1e9;
    }

    /** True while flow control holds the sampler back. */
    public boolean paused() {
        return paused;
    }

    /** The figures as named values, as published in {@code Metrics.values}. */
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("candidates_total", (double) published.get());
        v.put("batches_total", (double) batches.get());
        v.put("policy_version", (double) policyVersion.get());
        v.put("policy_version_announced", (double) announcedVersion.get());
        v.put("swaps_total", (double) swaps.get());
        v.put("bad_policy_files_total", (double) badPolicyFiles.get());
        v.put("stale_batches_dropped_total", (double) staleBatchesDropped.get());
        v.put("publish_errors_total", (double) publishErrors.get());
        v.put("errors_total", (double) errors.get());
        v.put("outstanding", (double) outstanding.get());
        v.put("paused", paused ? 1.0 : 0.0);
        v.put("paused_seconds_total", pausedSeconds());
        return v;
    }
}

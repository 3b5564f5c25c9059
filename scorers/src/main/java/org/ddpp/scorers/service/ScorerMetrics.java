package org.ddpp.scorers.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and call latencies of one scorer instance, turned into the {@code values} of its {@code Metrics}
 * records: totals since start plus latency quantiles and throughput over the last interval. Outcome counts
 * (scored, skipped, dead letters) are added only when their transaction commits; call counts include retries.
 * Thread-safe.
 */
public final class ScorerMetrics {

    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder invalid = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder calls = new LongAdder();
    final LongAdder callFailures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder aborts = new LongAdder();
    private final List<Double> latenciesMs = new ArrayList<>();
    private long windowStartNanos = System.nanoTime();
    private long scoredAtWindowStart;

    private volatile io.micrometer.core.instrument.Timer latency;

    synchronized void recordCallLatency(double millis) {
        latenciesMs.add(millis);
        io.micrometer.core.instrument.Timer t = latency;
        if (t != null) {
            t.record(java.time.Duration.ofNanos((long) (millis * 1e6)));
        }
    }

    /**
     * Registers these numbers as the instance's meters: {@code ddpp_scorer_scores_total{scorer,status}},
     * {@code ddpp_scorer_latency_seconds{scorer}} (every call, retries included) and
     * {@code ddpp_dead_letters_total{stage}}.
     */
    public void bind(org.ddpp.runtime.RoleMeters meters, String scorer) {
        meters.counter("scores", ok::sum, "scorer", scorer, "status", "ok");
        meters.counter("scores", failed::sum, "scorer", scorer, "status", "failed");
        meters.counter("scores", invalid::sum, "scorer", scorer, "status", "invalid");
        meters.counter("scores", skipped::sum, "scorer", scorer, "status", "skipped");
        meters.counter("retries", retries::sum, "scorer", scorer);
        meters.counter("aborted.transactions", aborts::sum, "scorer", scorer);
        meters.deadLetters(deadLetters::sum, "scorer:" + scorer);
        latency = meters.timer("latency", "scorer", scorer);
    }

    public long scored() {
        return ok.sum() + failed.sum() + invalid.sum();
    }

    public long ok() {
        return ok.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long invalid() {
        return invalid.sum();
    }

    public long skipped() {
        return skipped.sum();
    }

    public long deadLetters() {
        return deadLetters.sum();
    }

    public long retries() {
        return retries.sum();
    }

    /** The figures for one {@code Metrics} record; starts a new latency and throughput window. */
    public synchronized Map<String, Double> snapshot() {
        Map<String, Double> out = new LinkedHashMap<>();
        long scored = scored();
        out.put("scored_total", (double) scored);
        out.put("ok_total", (double) ok.sum());
        out.put("failed_total", (double) failed.sum());
        out.put("invalid_total", (double) invalid.sum());
        out.put("skipped_total", (double) skipped.sum());
        out.put("dlq_total", (double) deadLetters.sum());
        out.put("calls_total", (double) calls.sum());
        out.put("call_failures_total", (double) callFailures.sum());
        out.put("call_timeouts_total", (double) timeouts.sum());
        out.put("retries_total", (double) retries.sum());
        out.put("transactions_total", (double) transactions.sum());
        out.put("aborted_transactions_total", (double) aborts.sum());
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - windowStartNanos) / 1e9);
        out.put("candidates_per_second", (scored - scoredAtWindowStart) / seconds);
        List<Double> sorted = new ArrayList<>(latenciesMs);
        sorted.sort(null);
        out.put("call_latency_ms_p50", quantile(sorted, 0.5));
        out.put("call_latency_ms_p99", quantile(sorted, 0.99));
        out.put("call_latency_ms_max", sorted.isEmpty() ? 0.0 : sorted.get(sorted.size() - 1));
        latenciesMs.clear();
        windowStartNanos = now;
        scoredAtWindowStart = scored;
        return out;
    }

    private static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0.0;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}

package org.ddpp.scorers.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.runtime.RoleMeters;

/**
 * A scorer instance's meters, made once on its {@link RoleMeters}: {@code ddpp_scorer_scores_total{status}}
 * (ok, failed, invalid, skipped), {@code ddpp_scorer_latency_seconds} (every call, retries included),
 * {@code ddpp_dead_letters_total{stage}}, calls, call failures, timeouts, retries, transactions and aborted
 * transactions. Outcome counts are added only when their transaction commits; call counts include retries.
 * Prometheus scrapes these and the {@code ddpp.metrics} topic carries the same. Thread-safe.
 */
final class ScorerMeters {

    /** Committed verdicts by status ({@code ok}, {@code failed}, {@code invalid}). */
    final Map<ScoreStatus, Counter> verdicts = new EnumMap<>(ScoreStatus.class);
    final Counter skipped;
    final Counter deadLetters;
    final Counter calls;
    final Counter callFailures;
    final Counter timeouts;
    final Counter retries;
    final Counter transactions;
    final Counter aborts;
    final Timer latency;

    ScorerMeters(RoleMeters meters, String stage) {
        for (ScoreStatus status : ScoreStatus.values()) {
            verdicts.put(status, meters.counter("scores", "status", status.name().toLowerCase(Locale.ROOT)));
        }
        skipped = meters.counter("scores", "status", "skipped");
        deadLetters = meters.deadLetters(stage);
        calls = meters.counter("calls");
        callFailures = meters.counter("call.failures");
        timeouts = meters.counter("call.timeouts");
        retries = meters.counter("retries");
        transactions = meters.counter("transactions");
        aborts = meters.counter("aborted.transactions");
        latency = meters.timer("latency");
    }

    /** Meters on a private registry, for parts tested alone. */
    static ScorerMeters standalone() {
        return new ScorerMeters(RoleMeters.standalone("scorer", "test"), "scorer:test");
    }

    void recordCallLatency(long nanos) {
        latency.record(Duration.ofNanos(nanos));
    }

    /** Scores written (ok, failed and invalid) and committed. */
    long scored() {
        return (long) verdicts.values().stream().mapToDouble(Counter::count).sum();
    }

    long verdicts(ScoreStatus status) {
        return (long) verdicts.get(status).count();
    }
}

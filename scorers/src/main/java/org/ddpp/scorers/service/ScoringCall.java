package org.ddpp.scorers.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a {@link Scorer} on one batch with a timeout, retrying failures and timeouts with exponential back-off.
 * It always returns one result per candidate: when every attempt failed, each candidate is FAILED with the last
 * reason, so a broken scorer shows up downstream (the joiner dead-letters it) instead of stalling the service.
 * Calls run on a bounded {@link CallPool}: an attempt waits for a free thread up to the call timeout, and counts
 * as timed out when none became free.
 */
final class ScoringCall {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringCall.class);

    private final Scorer scorer;
    private final CallPool workers;
    private final ScorerServiceConfig config;
    private final ScorerMeters metrics;

    ScoringCall(Scorer scorer, CallPool workers, ScorerServiceConfig config, ScorerMeters metrics) {
        this.scorer = scorer;
        this.workers = workers;
        this.config = config;
        this.metrics = metrics;
    }

    /** One result per candidate of {@code batch}, in order. */
    List<ScoreResult> score(List<Candidate> batch) throws InterruptedException {
        String reason = "no attempt made";
        Duration backoff = config.get(ScorerSettings.RETRY_BACKOFF);
        for (int attempt = 0; attempt <= config.get(ScorerSettings.MAX_RETRIES); attempt++) {
            if (attempt > 0) {
                metrics.retries.increment();
                Thread.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), config.get(ScorerSettings.MAX_RETRY_BACKOFF));
            }
            long start = System.nanoTime();
            Future<List<ScoreResult>> call = workers.submit(() -> scorer.score(batch), config.get(ScorerSettings.CALL_TIMEOUT));
            if (call == null) {
                metrics.timeouts.increment();
                metrics.callFailures.increment();
                reason = "no call thread free within " + config.get(ScorerSettings.CALL_TIMEOUT).toMillis() + " ms (all "
                        + config.callThreads() + " still run earlier calls, some past their timeout)";
                LOG.warn("scorer {} attempt {} of {} on {} candidates not started: {}", scorer.name(), attempt + 1,
                        config.get(ScorerSettings.MAX_RETRIES) + 1, batch.size(), reason);
                continue;
            }
            metrics.calls.increment();
            try {
                List<ScoreResult> results = call.get(config.get(ScorerSettings.CALL_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
                metrics.recordCallLatency(System.nanoTime() - start);
                if (results == null || results.size() != batch.size()) {
                    reason = "scorer returned " + (results == null ? "null" : results.size() + " results")
                            + " for " + batch.size() + " candidates";
                } else if (results.stream().anyMatch(java.util.Objects::isNull)) {
                    reason = "scorer returned a null result";
                } else {
                    return results;
                }
            } catch (TimeoutException e) {
                call.cancel(true);
                metrics.timeouts.increment();
                reason = "call timed out after " + config.get(ScorerSettings.CALL_TIMEOUT).toMillis() + " ms";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                reason = "scorer threw " + cause;
            }
            metrics.callFailures.increment();
            LOG.warn("scorer {} attempt {} of {} on {} candidates failed: {}", scorer.name(), attempt + 1,
                    config.get(ScorerSettings.MAX_RETRIES) + 1, batch.size(), reason);
        }
        String finalReason = reason + " (" + (config.get(ScorerSettings.MAX_RETRIES) + 1) + " attempts)";
        List<ScoreResult> failed = new ArrayList<>(Collections.nCopies(batch.size(), ScoreResult.failed(finalReason)));
        return failed;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

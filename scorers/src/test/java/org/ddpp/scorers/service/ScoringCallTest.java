package org.ddpp.scorers.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.scorers.ScoreResult;
import org.ddpp.scorers.Scorer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, back-off and timeouts of one scorer call, without Kafka. */
class ScoringCallTest {

    private final CallPool workers = new CallPool(4, "test-call");
    private final ScorerMeters metrics = ScorerMeters.standalone();
    private final ScorerServiceConfig config = ScorerServiceConfig.builder()
            .setConnection(org.ddpp.runtime.ClusterConnection.local("x:1", "http://x")).setScorer("flaky").opt(ScorerSettings.INSTANCE_ID, "t").opt(ScorerSettings.MAX_RETRIES, 2)
            .opt(ScorerSettings.RETRY_BACKOFF, Duration.ofMillis(1)).opt(ScorerSettings.CALL_TIMEOUT, Duration.ofMillis(300)).build();

    @AfterEach
    void stop() {
        workers.close();
    }

    @Test
    void aFailureThatClearsUpIsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Scorer flaky = scorer(batch -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("backend unavailable");
            }
            return batch.stream().map(c -> ScoreResult.ok(-1)).toList();
        });
        List<ScoreResult> results = new ScoringCall(flaky, workers, config, metrics).score(List.of(new Candidate(), new Candidate()));
        assertEquals(List.of(ScoreResult.ok(-1), ScoreResult.ok(-1)), results);
        assertEquals(2, (long) metrics.retries.count());
    }

    @Test
    void aScorerThatKeepsFailingOrHangingYieldsFailedScoresWithTheReason() throws Exception {
        List<ScoreResult> broken = new ScoringCall(scorer(batch -> {
            throw new IllegalStateException("model file missing");
        }), workers, config, metrics).score(List.of(new Candidate()));
        assertEquals(ScoreStatus.FAILED, broken.get(0).status());
        assertTrue(broken.get(0).reason().contains("model file missing") && broken.get(0).reason().contains("3 attempts"),
                broken.get(0).reason());

        List<ScoreResult> hung = new ScoringCall(scorer(batch -> {
            Thread.sleep(10_000);
            return List.of();
        }), workers, config, metrics).score(List.of(new Candidate(), new Candidate()));
        assertEquals(2, hung.size());
        assertTrue(hung.get(1).reason().contains("timed out after 300 ms"), hung.get(1).reason());

        List<ScoreResult> miscounted = new ScoringCall(scorer(batch -> List.of(ScoreResult.ok(0))), workers, config, metrics)
                .score(List.of(new Candidate(), new Candidate()));
        assertTrue(miscounted.get(0).reason().contains("returned 1 results for 2 candidates"), miscounted.get(0).reason());
    }

    @Test
    void hungCallsHoldAtMostThePoolsThreadsAndLaterCallsWaitInsteadOfStartingMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Scorer deaf = scorer(batch -> { // ignores interrupts, like a stuck native call
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // keeps waiting
                }
            }
            return batch.stream().map(c -> ScoreResult.ok(-1)).toList();
        });
        try (CallPool pool = new CallPool(2, "bounded-call")) {
            ScoringCall call = new ScoringCall(deaf, pool, config, metrics);
            for (int batch = 0; batch < 2; batch++) {
                List<ScoreResult> results = call.score(List.of(new Candidate(), new Candidate(), new Candidate()));
                assertEquals(3, results.size(), "one result per candidate, none lost");
                assertTrue(results.stream().allMatch(r -> r.status() == ScoreStatus.FAILED), results.toString());
            }
            assertTrue(pool.threadsStarted() <= 2, pool.threadsStarted() + " threads for 6 hung attempts");
            assertEquals(2, pool.busy());

            release.countDown();
            org.ddpp.testkit.Wait.atMost(Duration.ofSeconds(20)).until(() -> pool.busy() == 0);
            assertEquals(List.of(ScoreResult.ok(-1)), call.score(List.of(new Candidate())), "the pool works again");
        }
    }

    interface Body {
        List<ScoreResult> apply(List<Candidate> batch) throws Exception;
    }

    private static Scorer scorer(Body body) {
        return new Scorer() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public String version() {
                return "0";
            }

            @Override
            public Set<String> tasks() {
                return Set.of("grid");
            }

            @Override
            public List<ScoreResult> score(List<Candidate> batch) throws Exception {
                return body.apply(batch);
            }
        };
    }
}

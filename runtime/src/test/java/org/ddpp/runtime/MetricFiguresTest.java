package org.ddpp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricFiguresTest {

    @Test
    void namesFollowTheMetersAndLeaveTheIdentityTagsToTheLabels() {
        RoleMeters meters = new RoleMeters(new SimpleMeterRegistry(), "scorer", "r1", "scorer-a-0", "scorer", "a");
        meters.counter("scores", "status", "ok").increment(3);
        meters.deadLetters("scorer:a").increment();
        AtomicLong steps = new AtomicLong(7);
        meters.counter("steps", steps::get);
        meters.gauge("buffer.size", () -> 12);
        meters.gauge("loss", () -> Double.NaN);

        MetricFigures figures = new MetricFigures("scorer", meters.identityKeys());
        Map<String, Double> first = figures.figures(meters.meters(), 1_000_000_000L);
        assertEquals(3.0, first.get("scores_total{status=\"ok\"}"));
        assertEquals(1.0, first.get("dead_letters_total{stage=\"scorer:a\"}"));
        assertEquals(7.0, first.get("steps_total"));
        assertEquals(12.0, first.get("buffer_size"));
        assertFalse(first.containsKey("loss"), "NaN gauges are left out: " + first);
        assertFalse(first.keySet().stream().anyMatch(k -> k.contains("_per_s")), "no rate before a second record: " + first);
        assertEquals(Map.of("scorer", "a"), meters.identityLabels());

        steps.set(27);
        Map<String, Double> second = figures.figures(meters.meters(), 3_000_000_000L);
        assertEquals(10.0, second.get("steps_per_s"), 1e-9, "20 steps in 2 s");
        assertEquals(0.0, second.get("scores_per_s{status=\"ok\"}"), 1e-9);
    }

    @Test
    void distributionsGiveTotalsAndTheMeanSinceTheLastRecord() {
        RoleMeters meters = RoleMeters.standalone("joiner", "all");
        var sizes = meters.summary("batch.size");
        var latency = meters.timer("latency");
        MetricFigures figures = new MetricFigures("joiner", meters.identityKeys());
        sizes.record(1);
        sizes.record(3);
        latency.record(Duration.ofMillis(200));
        Map<String, Double> first = figures.figures(meters.meters(), 1L);
        assertEquals(2.0, first.get("batch_size_count"), first.toString());
        assertEquals(2.0, first.get("batch_size_mean"), 1e-12);
        assertEquals(0.2, first.get("latency_seconds_sum"), 1e-9);
        assertTrue(first.containsKey("latency_seconds_p50") && first.containsKey("latency_seconds_p99"), first.toString());

        sizes.record(10);
        Map<String, Double> second = figures.figures(meters.meters(), 2L);
        assertEquals(10.0, second.get("batch_size_mean"), 1e-12, "the mean of the new values only");
        Map<String, Double> third = figures.figures(meters.meters(), 3L);
        assertFalse(third.containsKey("batch_size_mean"), "no new values, no mean");
        assertEquals(3.0, third.get("batch_size_count"));
    }

    @Test
    void valueReadsOneOfTheInstancesMeters() {
        RoleMeters meters = new RoleMeters(new SimpleMeterRegistry(), "sampler", "r", "s1", "sampler", "s1");
        meters.counter("swaps").increment(2);
        meters.deadLetters("sampler-policy").increment();
        assertEquals(2.0, meters.value("swaps"));
        assertEquals(1.0, meters.value("dead.letters", "stage", "sampler-policy"));
        assertTrue(Double.isNaN(meters.value("nothing")));
    }
}

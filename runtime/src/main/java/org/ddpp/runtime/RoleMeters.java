package org.ddpp.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One role instance's meters on a Micrometer registry, named {@code ddpp.<role>.<what>} (exported to Prometheus
 * as {@code ddpp_<role>_<what>}) and tagged {@code run} and {@code role} — the same tags on every meter, so one
 * registry can hold every role of the embedded demo and one Prometheus query can tell them apart. The numbers the
 * roles already keep (their counters and gauges) are registered as function meters: one set of numbers, read by
 * the {@code ddpp.metrics} topic and by Prometheus. Kafka clients and Kafka Streams are bound through Micrometer's
 * Kafka binders. {@link #close()} removes this instance's meters and binders from the registry.
 */
public final class RoleMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final String role;
    private final Tags tags;
    private final List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
    private final List<AutoCloseable> binders = new ArrayList<>();
    /** Function counters hold their source weakly: the suppliers live here as long as the role does. */
    private final List<Object> sources = new ArrayList<>();

    public RoleMeters(MeterRegistry registry, String role, String run) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.role = Objects.requireNonNull(role, "role");
        this.tags = Tags.of(Tag.of("run", run == null || run.isBlank() ? "all" : run), Tag.of("role", role));
    }

    /** Meters on a private in-memory registry: for roles started without a metrics endpoint (tests, embedding). */
    public static RoleMeters standalone(String role, String run) {
        return new RoleMeters(new SimpleMeterRegistry(), role, run);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The tags every meter of this instance carries ({@code run}, {@code role}). */
    public Tags tags() {
        return tags;
    }

    /** A monotonic counter read from {@code count}, e.g. {@code counter("scores", n, "status", "ok")}. */
    public synchronized void counter(String what, Supplier<? extends Number> count, String... extraTags) {
        sources.add(count);
        meters.add(FunctionCounter.builder(name(what), count, c -> c.get().doubleValue())
                .tags(tags.and(extraTags)).register(registry));
    }

    /** {@code ddpp_dead_letters_total{stage}}: records this role sent to the dead-letter topic, by stage. */
    public synchronized void deadLetters(Supplier<? extends Number> count, String stage) {
        sources.add(count);
        meters.add(FunctionCounter.builder("ddpp.dead.letters", count, c -> c.get().doubleValue())
                .tags(tags.and("stage", stage)).register(registry));
    }

    /** A value that goes up and down, read from {@code value} when scraped. */
    public synchronized void gauge(String what, Supplier<? extends Number> value, String... extraTags) {
        meters.add(Gauge.builder(name(what), value, v -> {
            Number n = v.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).tags(tags.and(extraTags)).strongReference(true).register(registry));
    }

    /** A latency timer with a histogram (Prometheus {@code _seconds_bucket}, {@code _count}, {@code _sum}). */
    public synchronized Timer timer(String what, String... extraTags) {
        Timer timer = Timer.builder(name(what)).tags(tags.and(extraTags)).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        meters.add(timer);
        return timer;
    }

    /** Binds a producer's, consumer's or admin's own metrics ({@code kafka_producer_*}, …). */
    public synchronized void bind(Object client) {
        KafkaClientMetrics binder;
        if (client instanceof Producer<?, ?> p) {
            binder = new KafkaClientMetrics(p, tags);
        } else if (client instanceof Consumer<?, ?> c) {
            binder = new KafkaClientMetrics(c, tags);
        } else if (client instanceof org.apache.kafka.clients.admin.AdminClient a) {
            binder = new KafkaClientMetrics(a, tags);
        } else {
            throw new IllegalArgumentException("not a Kafka client: " + client.getClass().getName());
        }
        binder.bindTo(registry);
        binders.add(binder);
    }

    /** Binds Kafka Streams' metrics ({@code kafka_stream_*}). */
    public synchronized void bindStreams(KafkaStreams streams) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, tags);
        binder.bindTo(registry);
        binders.add(binder);
    }

    private String name(String what) {
        return "ddpp." + role + "." + what;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception ignored) {
                // a binder that cannot close only leaves stale meters behind
            }
        }
        binders.clear();
        meters.forEach(registry::remove);
        meters.clear();
        sources.clear();
    }
}

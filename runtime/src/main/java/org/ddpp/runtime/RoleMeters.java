package org.ddpp.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One role instance's meters on a Micrometer registry, named {@code ddpp.<role>.<what>} (exported to Prometheus
 * as {@code ddpp_<role>_<what>}) and tagged {@code run}, {@code role} and the instance's identity tags (the
 * sampler id, the scorer's name and instance, …) — the same tags on every meter, so one registry can hold every
 * role of the embedded demo and one Prometheus query can tell them apart. These meters are the role's one set of
 * numbers: Prometheus scrapes them and {@link MetricsExporter} writes the same meters to the {@code ddpp.metrics}
 * topic. Counts a role keeps as program state anyway (steps, published candidates) are registered as function
 * counters over that state; everything else is a Micrometer counter, gauge, timer or summary made here. Kafka
 * clients and Kafka Streams are bound through Micrometer's Kafka binders (those are not sent to the topic).
 * {@link #close()} removes this instance's meters and binders from the registry.
 */
public final class RoleMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final String role;
    private final String run;
    private final String instance;
    private final Tags tags;
    private final Set<String> identityKeys;
    private final List<Meter> meters = new ArrayList<>();
    private final List<AutoCloseable> binders = new ArrayList<>();
    /** Function counters hold their source weakly: the suppliers live here as long as the role does. */
    private final List<Object> sources = new ArrayList<>();

    /** A role instance whose only identity is its run (the trainer, the joiner, the demo's evaluator). */
    public RoleMeters(MeterRegistry registry, String role, String run) {
        this(registry, role, run, role + "-" + normalRun(run));
    }

    /**
     * @param instance the instance's name in {@code ddpp.metrics} records (a sampler id, {@code scorer-0}, …)
     * @param identityTags tag key/value pairs that tell this instance apart from others of its role in one registry
     */
    public RoleMeters(MeterRegistry registry, String role, String run, String instance, String... identityTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.role = Objects.requireNonNull(role, "role");
        this.run = normalRun(run);
        this.instance = Objects.requireNonNull(instance, "instance");
        Tags identity = Tags.of(identityTags);
        this.tags = Tags.of(Tag.of("run", this.run), Tag.of("role", role)).and(identity);
        Set<String> keys = new HashSet<>(List.of("run", "role"));
        identity.forEach(t -> keys.add(t.getKey()));
        this.identityKeys = Set.copyOf(keys);
    }

    /** Meters on a private in-memory registry: for roles started without a metrics endpoint (tests, embedding). */
    public static RoleMeters standalone(String role, String run) {
        return new RoleMeters(new SimpleMeterRegistry(), role, run);
    }

    /** The role's meters on {@code registry}, or on a private in-memory one when it is null. */
    public static RoleMeters on(MeterRegistry registry, String role, String run, String instance, String... identityTags) {
        return new RoleMeters(registry == null ? new SimpleMeterRegistry() : registry, role, run, instance, identityTags);
    }

    private static String normalRun(String run) {
        return run == null || run.isBlank() ? "all" : run;
    }

    public String role() {
        return role;
    }

    public String run() {
        return run;
    }

    public String instance() {
        return instance;
    }

    /** Tag keys that identify the instance ({@code run}, {@code role} and the identity tags): not part of a figure. */
    public Set<String> identityKeys() {
        return identityKeys;
    }

    /** The identity tags as labels (without {@code run} and {@code role}, which records carry in their own fields). */
    public Map<String, String> identityLabels() {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> {
            if (!t.getKey().equals("run") && !t.getKey().equals("role")) {
                out.put(t.getKey(), t.getValue());
            }
        });
        return out;
    }

    /**
     * The current value of one of this instance's counters or gauges ({@code what} as registered, e.g.
     * {@code "swaps"}, or {@code "dead.letters"} for the dead-letter counter); NaN when there is none.
     */
    public synchronized double value(String what, String... extraTags) {
        String wanted = what.equals("dead.letters") ? "ddpp.dead.letters" : name(what);
        Tags expected = tags.and(extraTags);
        for (Meter m : meters) {
            if (m.getId().getName().equals(wanted) && Tags.of(m.getId().getTagsAsIterable()).equals(expected)) {
                if (m instanceof Counter c) {
                    return c.count();
                } else if (m instanceof FunctionCounter c) {
                    return c.count();
                } else if (m instanceof Gauge g) {
                    return g.value();
                }
            }
        }
        return Double.NaN;
    }

    /** This instance's own meters (not the Kafka binders'), in registration order. */
    public synchronized List<Meter> meters() {
        return List.copyOf(meters);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The tags every meter of this instance carries ({@code run}, {@code role}). */
    public Tags tags() {
        return tags;
    }

    /** A counter, e.g. {@code counter("scores", "status", "ok")}. */
    public synchronized Counter counter(String what, String... extraTags) {
        Counter c = Counter.builder(name(what))
                .tags(tags.and(extraTags)).register(registry);
        meters.add(c);
        return c;
    }

    /** A monotonic counter over a count the role keeps as program state anyway (steps, published candidates). */
    public synchronized void counter(String what, Supplier<? extends Number> count, String... extraTags) {
        sources.add(count);
        meters.add(FunctionCounter.builder(name(what), count, c -> c.get().doubleValue())
                .tags(tags.and(extraTags)).register(registry));
    }

    /** {@code ddpp_dead_letters_total{stage}}: records this role sent to the dead-letter topic, by stage. */
    public synchronized Counter deadLetters(String stage) {
        Counter c = Counter.builder("ddpp.dead.letters")
                .tags(tags.and("stage", stage)).register(registry);
        meters.add(c);
        return c;
    }

    /** {@code ddpp_dead_letters_total{stage}} over a count the role keeps anyway. */
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

    /**
     * A latency timer with a histogram (Prometheus {@code _seconds_bucket}, {@code _count}, {@code _sum}) and the
     * median and 99th percentile over the last minute or two (Micrometer's decaying window).
     */
    public synchronized Timer timer(String what, String... extraTags) {
        Timer timer = Timer.builder(name(what)).tags(tags.and(extraTags)).publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        meters.add(timer);
        return timer;
    }

    /** A distribution of non-negative values (count, sum, max); Micrometer ignores negative ones. */
    public synchronized DistributionSummary summary(String what, String... extraTags) {
        DistributionSummary summary = DistributionSummary
                .builder(name(what)).tags(tags.and(extraTags)).register(registry);
        meters.add(summary);
        return summary;
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

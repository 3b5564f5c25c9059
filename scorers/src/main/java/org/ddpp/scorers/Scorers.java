package org.ddpp.scorers;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds {@link Scorer} implementations on the class path through {@link ServiceLoader}, by the name used on the
 * command line ({@code ddpp scorer --scorer grid-center}) and in the joiner's reward configuration.
 */
public final class Scorers {

    private Scorers() {}

    /** Every scorer on the class path, sorted by name (a fresh instance of each). */
    public static List<Scorer> all() {
        List<Scorer> out = new ArrayList<>();
        ServiceLoader.load(Scorer.class).forEach(out::add);
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Names of the scorers on the class path, sorted. */
    public static List<String> names() {
        return all().stream().map(Scorer::name).toList();
    }

    /** A fresh instance of the scorer called {@code name}; {@link IllegalArgumentException} naming the known ones. */
    public static Scorer byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown scorer '" + name + "' (known: " + String.join(", ", names()) + ")"));
    }
}

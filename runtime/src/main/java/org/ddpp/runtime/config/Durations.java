package org.ddpp.runtime.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations the way people write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601
 * ({@code PT30S}). A bare number is refused (one readable line) because its unit would be a guess.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private Durations() {}

    /** Parses {@code value}; {@link IllegalArgumentException} with the accepted forms when it is none of them. */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1e3;
                case "m" -> amount * 60e3;
                default -> amount * 3600e3;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        if (v.startsWith("pt")) {
            try {
                return Duration.parse(value.trim());
            } catch (RuntimeException e) {
                // fall through to the readable message
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a duration; write it with a unit, e.g. 500ms, 30s, 2m or 1h");
    }

    /** The shortest of {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} that {@link #parse} reads back exactly. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}

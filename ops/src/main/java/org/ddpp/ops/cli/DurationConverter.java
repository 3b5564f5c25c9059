package org.ddpp.ops.cli;

import java.time.Duration;
import org.ddpp.runtime.config.Durations;
import picocli.CommandLine;

/**
 * Reads a duration option the way people write it ({@link Durations}: {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, or ISO-8601 {@code PT30S}). A bare number is refused (one readable line) because its unit would be a guess.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }

    /** Parses {@code value}; {@link IllegalArgumentException} with the accepted forms when it is none of them. */
    public static Duration parse(String value) {
        return Durations.parse(value);
    }
}

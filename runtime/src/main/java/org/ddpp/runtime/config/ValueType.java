package org.ddpp.runtime.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The type of a {@link Setting}'s value: its Java class, how text becomes a value (with one readable line for bad
 * text) and how a value is written back (for the generated defaults and docs).
 *
 * @param name     the type's name in the configuration reference ({@code duration}, {@code int}, …)
 * @param javaType the value's class (boxed)
 * @param parser   text → value; throws {@link IllegalArgumentException} with one readable line
 * @param writer   value → text that {@code parser} reads back
 */
public record ValueType<T>(String name, Class<T> javaType, Function<String, T> parser, Function<T, String> writer) {

    public static final ValueType<Duration> DURATION = new ValueType<>("duration", Duration.class, Durations::parse, Durations::format);
    public static final ValueType<Integer> INT = new ValueType<>("int", Integer.class,
            text -> number(text, "an int", Integer::valueOf), String::valueOf);
    public static final ValueType<Long> LONG = new ValueType<>("long", Long.class,
            text -> number(text, "a long", Long::valueOf), String::valueOf);
    public static final ValueType<Double> DOUBLE = new ValueType<>("double", Double.class,
            text -> number(text, "a double", Double::valueOf), String::valueOf);
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("boolean", Boolean.class, ValueType::bool, String::valueOf);
    public static final ValueType<String> STRING = new ValueType<>("string", String.class, text -> text, text -> text);
    public static final ValueType<Path> PATH = new ValueType<>("path", Path.class, ValueType::path, Path::toString);

    public ValueType {
        Objects.requireNonNull(name);
        Objects.requireNonNull(javaType);
        Objects.requireNonNull(parser);
        Objects.requireNonNull(writer);
    }

    /** {@code text} as a value of this type. */
    public T parse(String text) {
        return parser.apply(text);
    }

    /** {@code value} as text (null stays null). */
    public String write(T value) {
        return value == null ? null : writer.apply(value);
    }

    private static <N> N number(String text, String what, Function<String, N> parse) {
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
    }

    private static Boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a boolean; write true or false");
        };
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
        }
    }
}

package org.ddpp.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One role setting, defined once: its key (also the command-line flag without {@code --}, e.g.
 * {@code join-timeout}), value type, default, documentation and validation. Immutable; role configs hold the
 * chosen values in {@link Settings}, the command line generates its options from the definitions, and the
 * configuration reference ({@code docs/configuration.md}) is written from them.
 *
 * <p>Made with the typed factories, e.g.
 * {@code Setting.duration("join-timeout").defaultValue("60s").positive().doc("…").build()}; the default is given as
 * text, exactly as a user would type it, so the help text, the docs and the value agree.
 */
public final class Setting<T> {

    /** One validation rule: what it requires (for messages and docs) and the test. */
    private record Check<T>(String requirement, Predicate<T> test) {}

    private final String key;
    private final ValueType<T> type;
    private final String defaultText;
    private final T defaultValue;
    private final String doc;
    private final String label;
    private final boolean required;
    private final List<Check<T>> checks;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.type = b.type;
        this.defaultText = b.defaultText;
        this.doc = Objects.requireNonNull(b.doc, () -> "setting " + b.key + " needs a doc");
        this.label = b.label;
        this.required = b.required;
        if (required && b.defaultText != null) {
            throw new IllegalArgumentException("setting " + b.key + " is required, so it has no default");
        }
        this.checks = List.copyOf(b.checks);
        this.defaultValue = b.defaultText == null ? null : b.type.parse(b.defaultText);
        if (defaultValue != null) {
            validate(defaultValue);
        }
    }

    public static Builder<Duration> duration(String key) { return new Builder<>(key, ValueType.DURATION); }
    public static Builder<Integer> integer(String key) { return new Builder<>(key, ValueType.INT); }
    public static Builder<Long> longValue(String key) { return new Builder<>(key, ValueType.LONG); }
    public static Builder<Double> decimal(String key) { return new Builder<>(key, ValueType.DOUBLE); }
    public static Builder<String> text(String key) { return new Builder<>(key, ValueType.STRING); }
    public static Builder<Path> path(String key) { return new Builder<>(key, ValueType.PATH); }

    /** A switch: off unless given ({@code --key} on the command line, no value). */
    public static Builder<Boolean> flag(String key) { return new Builder<>(key, ValueType.BOOLEAN).defaultValue("false"); }

    /** The key, e.g. {@code join-timeout}. */
    public String key() { return key; }

    /** The command-line flag, e.g. {@code --join-timeout}. */
    public String flag() { return "--" + key; }

    public ValueType<T> type() { return type; }

    /** The default as typed on a command line; null when the setting has none (then its value is null). */
    public String defaultText() { return defaultText; }

    /** The default value; null when the setting has none. */
    public T defaultValue() { return defaultValue; }

    /** One or two sentences: what the setting does (without the default, which is appended where shown). */
    public String doc() { return doc; }

    /** How the value is shown in a usage line ({@code HOST:PORT[,...]}, {@code FILE}); null = from the key. */
    public String valueLabel() { return label; }

    /** Whether a command that offers this setting refuses to run without it (then it has no default). */
    public boolean required() { return required; }

    /** Whether this is an off-by-default switch (a flag without a value). */
    public boolean isSwitch() { return type == ValueType.BOOLEAN && Boolean.FALSE.equals(defaultValue); }

    /** The rules a value must meet, e.g. {@code positive}; empty when any value of the type goes. */
    public List<String> requirements() {
        return checks.stream().map(Check::requirement).toList();
    }

    /** {@code text} parsed and validated; {@link IllegalArgumentException} with one readable line otherwise. */
    public T parse(String text) {
        return validate(type.parse(text));
    }

    /** {@code value} when it meets every rule; {@link IllegalArgumentException} with one readable line otherwise. */
    public T validate(T value) {
        if (value == null) {
            return null;
        }
        if (!type.javaType().isInstance(value)) {
            throw new IllegalArgumentException(label() + " must be a " + type.name() + ", got " + value.getClass().getSimpleName());
        }
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                throw new IllegalArgumentException(label() + " must be " + check.requirement() + ", got " + type.write(value));
            }
        }
        return value;
    }

    /** The key in words ({@code join timeout}), as error messages name it. */
    public String label() {
        return key.replace('-', ' ');
    }

    @Override
    public String toString() {
        return key;
    }

    /** Builds a {@link Setting}. */
    public static final class Builder<T> {
        private final String key;
        private final ValueType<T> type;
        private String defaultText;
        private String doc;
        private String label;
        private boolean required;
        private final List<Check<T>> checks = new ArrayList<>();

        private Builder(String key, ValueType<T> type) {
            if (key == null || !key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("setting key must be lower-case words joined by '-', got '" + key + "'");
            }
            this.key = key;
            this.type = type;
        }

        /** The default, written as on the command line ({@code 60s}, {@code 64}); absent = no default (null). */
        public Builder<T> defaultValue(String text) { this.defaultText = text; return this; }

        public Builder<T> doc(String text) { this.doc = text; return this; }

        /** A command that offers the setting refuses to run without it (picocli's "Missing required option"). */
        public Builder<T> required() { this.required = true; return this; }

        /** How the value is shown in a usage line, e.g. {@code FILE} (default: the key in camel case). */
        public Builder<T> valueLabel(String text) { this.label = text; return this; }

        /** A rule: {@code requirement} completes "must be …" in the error message. */
        public Builder<T> check(String requirement, Predicate<T> test) {
            checks.add(new Check<>(requirement, test));
            return this;
        }

        /** Greater than zero (numbers) or longer than zero (durations). */
        public Builder<T> positive() {
            return check("positive", v -> v instanceof Duration d ? !d.isNegative() && !d.isZero() : ((Number) v).doubleValue() > 0);
        }

        /** Zero or more. */
        public Builder<T> nonNegative() {
            return check(">= 0", v -> v instanceof Duration d ? !d.isNegative() : ((Number) v).doubleValue() >= 0);
        }

        /** At least {@code min} (numbers). */
        public Builder<T> atLeast(long min) {
            return check(">= " + min, v -> ((Number) v).longValue() >= min && ((Number) v).doubleValue() >= min);
        }

        /** From {@code min} to {@code max}, both included (whole numbers), e.g. a port. */
        public Builder<T> between(long min, long max) {
            return check("between " + min + " and " + max, v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max);
        }

        /** A TCP port, 0 included (pick a free one). */
        public Builder<T> port() {
            return between(0, 65_535);
        }

        /** Not empty or blank (text). */
        public Builder<T> notBlank() {
            return check("non-blank", v -> !v.toString().isBlank());
        }

        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}

package org.ddpp.runtime.config;

/**
 * What every role config's builder shares: its scalar settings go through one {@link #opt(Setting, Object)}
 * (Flink's {@code Configuration.set(ConfigOption, value)} style) into an immutable {@link Settings}. A role's
 * builder extends this and keeps named {@code set*} for required values and {@code opt*} for non-scalar ones.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public abstract class SettingsBuilder<B extends SettingsBuilder<B>> {

    private Settings settings = Settings.empty();

    /** One setting; a value that breaks its rule is refused here, as one readable {@link IllegalArgumentException}. */
    public final <T> B opt(Setting<T> setting, T value) {
        settings = settings.with(setting, value);
        return self();
    }

    /** Several settings at once (what the command line parsed). */
    public final B opt(Settings values) {
        settings = settings.withAll(values);
        return self();
    }

    /** The values chosen so far. */
    protected final Settings settings() {
        return settings;
    }

    /** This builder as its concrete type. */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }
}

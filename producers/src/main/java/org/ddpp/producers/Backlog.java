package org.ddpp.producers;

import java.util.OptionalLong;

/**
 * How many candidates are waiting for the trainer, as measured from outside the sampler (broker offsets).
 * An interface so flow control can be tested without a broker.
 */
public interface Backlog extends AutoCloseable {

    /** The current count, or empty when it cannot be measured right now (the caller keeps its last value). */
    OptionalLong measure();

    @Override
    default void close() {}
}

package org.ddpp.producers;

import java.util.Optional;

/**
 * How many candidates are waiting for the trainer, as measured from outside the sampler (broker offsets).
 * An interface so flow control can be tested without a broker.
 */
public interface Backlog extends AutoCloseable {

    /**
     * One measurement.
     *
     * @param outstanding candidates published and not yet consumed by the trainer nor dead-lettered
     * @param settled     candidates consumed by the trainer or dead-lettered so far (a running total; its rate is
     *     the pipeline's intake); negative where unknown
     * @param waiting     of the outstanding ones, those already joined and waiting for the trainer to take them;
     *     negative where unknown
     */
    record Reading(long outstanding, long settled, long waiting) {

        /** A reading of the outstanding count alone. */
        public static Reading of(long outstanding) {
            return new Reading(outstanding, -1, -1);
        }
    }

    /** The current reading, or empty when it cannot be measured right now (the caller keeps its last value). */
    Optional<Reading> measure();

    @Override
    default void close() {}
}

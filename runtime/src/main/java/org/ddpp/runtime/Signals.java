package org.ddpp.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches SIGTERM and SIGINT as signals, so a role can close itself and exit with its own code (0 after a clean
 * stop) rather than the JVM's 143/130. Uses the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported},
 * present in every OpenJDK); where it is missing the JVM's shutdown hooks still close the role.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Runs {@code action} on SIGTERM or SIGINT instead of starting the JVM's shutdown; false when not possible. */
    static boolean onTermination(Runnable action) {
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("cannot catch termination signals ({}); the shutdown hook closes the role", e.toString());
            return false;
        }
    }
}

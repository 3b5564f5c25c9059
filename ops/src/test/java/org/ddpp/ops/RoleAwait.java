package org.ddpp.ops;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test waits on {@link RoleProcesses}. */
public final class RoleAwait {

    private RoleAwait() {}

    /** Waits until {@code done}, failing at once with every log when a started role dies, or when {@code limit} passes. */
    public static void await(RoleProcesses roles, String what, Duration limit, BooleanSupplier done) {
        roles.await(what, limit, done);
    }
}

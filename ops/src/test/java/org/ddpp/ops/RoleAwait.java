package org.ddpp.ops;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.ddpp.testkit.Wait;

/** Test waits on {@link RoleProcesses}: Awaitility is on the test class path only, not in the fat jar. */
public final class RoleAwait {

    private RoleAwait() {}

    /** Waits until {@code done}, failing at once with every log when a started role dies, or when {@code limit} passes. */
    public static void await(RoleProcesses roles, String what, Duration limit, BooleanSupplier done) {
        Wait.explained(() -> "timed out waiting for " + what + "; logs:\n" + roles.allLogs(),
                () -> Wait.atMost(limit, Duration.ofMillis(500)).until(() -> {
                    if (done.getAsBoolean()) {
                        return true;
                    }
                    String died = roles.died();
                    if (died != null) {
                        throw new AssertionError(died + " died while waiting for " + what + "; logs:\n" + roles.allLogs());
                    }
                    return false;
                }));
    }
}

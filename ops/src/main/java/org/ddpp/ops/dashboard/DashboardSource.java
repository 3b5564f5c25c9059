package org.ddpp.ops.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * What the dashboard's HTTP endpoints serve: the live feed, whether the metrics topic is being followed, the
 * page, and the run's steering panel (null when the dashboard shows no single run). One instance is the singleton of the dashboard's own Micronaut context; {@link DashboardController} and
 * {@link DashboardMethodFilter} exist only where it does, so the registry's and the metrics server's contexts in the
 * same process never serve dashboard routes, and the dashboard's never serves theirs.
 */
record DashboardSource(LiveFeed feed, BooleanSupplier following, byte[] page, DashboardSteering steering) {

    DashboardSource(LiveFeed feed, BooleanSupplier following, byte[] page) {
        this(feed, following, page, null);
    }

    /** True when the page may publish reward configurations ({@code POST /api/steer}). */
    boolean steeringAllowed() {
        return steering != null && steering.allowed();
    }

    /** Classpath location of the single-file page. */
    static final String PAGE_RESOURCE = "/dashboard/index.html";

    /** The page from {@link #PAGE_RESOURCE}; fails when it is missing from the classpath. */
    static byte[] loadPage() {
        try (InputStream in = DashboardSource.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dashboard page " + PAGE_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard page " + PAGE_RESOURCE, e);
        }
    }
}

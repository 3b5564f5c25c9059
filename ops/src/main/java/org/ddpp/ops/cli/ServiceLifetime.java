package org.ddpp.ops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a streaming role's command alive: creates the project's topics if missing, then waits until SIGTERM or
 * SIGINT (closing the role before the JVM exits) or until the role stops by itself after a fatal error, which
 * makes the command exit non-zero instead of hanging.
 */
final class ServiceLifetime {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLifetime.class);

    private ServiceLifetime() {}

    /**
     * Creates every topic of {@link Topics} that is missing (names with {@code suffix} appended, except the
     * registry's storage topic), with the cluster's default replication factor.
     */
    static void ensureTopics(String bootstrapServers, String suffix) {
        List<TopicSpec<?, ?>> specs = new ArrayList<>();
        for (TopicSpec<?, ?> t : Topics.all()) {
            specs.add(t == Topics.SCHEMAS || suffix.isEmpty() ? t
                    : new TopicSpec<>(t.name() + suffix, t.partitions(), t.compacted(), t.keyType(), t.valueType(), t.doc()));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            var created = Topics.create(admin, specs, (short) -1);
            if (!created.isEmpty()) {
                LOG.info("created topics {}", created);
            }
        }
    }

    /** Blocks until a signal (returns 0) or until {@code alive} turns false (returns 1); closes {@code role} either way. */
    static int await(String name, AutoCloseable role, BooleanSupplier alive) throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            signalled.countDown();
            closeQuietly(name, role);
            closed.countDown();
        }, "ddpp-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!signalled.await(1, TimeUnit.SECONDS)) {
            if (!alive.getAsBoolean()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeQuietly(name, role);
                LOG.error("{} stopped after an error (see above)", name);
                return 1;
            }
        }
        closed.await();
        return 0;
    }

    private static void closeQuietly(String name, AutoCloseable role) {
        try {
            role.close();
            LOG.info("{} stopped cleanly", name);
        } catch (Exception e) {
            LOG.error("{} did not stop cleanly: {}", name, e.toString());
        }
    }
}

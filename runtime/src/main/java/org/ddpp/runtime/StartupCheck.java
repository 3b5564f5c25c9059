package org.ddpp.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.ddpp.schemas.registry.RegistryClientConfig;
import org.ddpp.schemas.registry.SchemaRegistryClient;
import org.ddpp.schemas.registry.SchemaRegistryException;

/**
 * Fails a role fast, with one readable {@link UnreachableAtStartException}, when Kafka or the schema registry is
 * not reachable within the start-up timeout or refuses the role's credentials — instead of a client that retries
 * forever or a stack trace. Every role calls it before it creates topics or starts threads.
 */
public final class StartupCheck {

    /** Default time allowed to reach Kafka and the registry at start: 15 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private StartupCheck() {}

    /** Checks Kafka (cluster metadata) and the registry (a read) within {@code timeout}. */
    public static void require(ClusterConnection connection, Duration timeout) {
        requireKafka(connection, timeout);
        requireRegistry(connection, timeout);
    }

    /** Checks that Kafka answers a metadata request with the role's credentials within {@code timeout}. */
    public static void requireKafka(ClusterConnection connection, Duration timeout) {
        var props = connection.adminProperties("ddpp-startup-check");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis()));
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableAtStartException("interrupted while connecting to Kafka at " + connection.bootstrapServers(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin's own timeout equals the wait's, so either may fire first: the same answer for both
                throw new UnreachableAtStartException("cannot reach Kafka at " + connection.bootstrapServers() + " within "
                        + timeout.toMillis() / 1000.0 + " s", cause);
            }
            String why = cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    ? "refused the credentials: " + cause.getMessage() : cause.toString();
            throw new UnreachableAtStartException("Kafka at " + connection.bootstrapServers() + " " + why, cause);
        } catch (TimeoutException e) {
            throw new UnreachableAtStartException("cannot reach Kafka at " + connection.bootstrapServers() + " within "
                    + timeout.toMillis() / 1000.0 + " s", e);
        } finally {
            admin.close(Duration.ZERO); // abandons a pending request instead of waiting for its own timeout
        }
    }

    /** Checks that the registry answers a read with the role's credentials within {@code timeout}. */
    public static void requireRegistry(ClusterConnection connection, Duration timeout) {
        RegistryClientConfig c = connection.registry();
        RegistryClientConfig quick = new RegistryClientConfig(c.url(), min(c.connectTimeout(), timeout), timeout, 0,
                c.initialBackoff(), c.maxBackoff(), c.basicAuthUserInfo(), c.sslContext());
        try {
            new SchemaRegistryClient(quick).subjects();
        } catch (SchemaRegistryException e) {
            String message = e.httpStatus() == 401 ? "schema registry at " + c.url() + " refused the credentials (HTTP 401)"
                    : e.httpStatus() == 403 ? "schema registry at " + c.url() + " does not allow this user (HTTP 403)"
                    : e.getMessage();
            throw new UnreachableAtStartException(message, e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

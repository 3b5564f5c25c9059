package org.ddpp.ops.cli;

import java.util.Set;
import org.ddpp.runtime.ClusterConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every streaming role's command does before it starts its service: create the pipeline's missing topics. */
final class ServiceLifetime {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLifetime.class);

    private ServiceLifetime() {}

    /**
     * Creates every topic of the pipeline ({@link org.ddpp.runtime.TopicNames#specs()}) that is missing, with the
     * connection's replication ({@code --replication-factor}, {@code --min-insync-replicas}; by default from the
     * cluster's size).
     */
    static void ensureTopics(ClusterConnection connection) {
        Set<String> created = connection.createMissingTopics();
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
    }
}

package org.ddpp.ops.cli;

import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every streaming role's command does before it starts its service: create the pipeline's missing topics. */
final class ServiceLifetime {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLifetime.class);

    private ServiceLifetime() {}

    /**
     * Creates every topic of the pipeline ({@link org.ddpp.runtime.TopicNames#specs()}) that is missing, with the
     * cluster's default replication factor.
     */
    static void ensureTopics(ClusterConnection connection) {
        try (Admin admin = connection.admin("ddpp-topics")) {
            Set<String> created = Topics.create(admin, connection.topics().specs(), (short) -1);
            if (!created.isEmpty()) {
                LOG.info("created topics {}", created);
            }
        }
    }
}

package org.ddpp.ops.cli;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import picocli.CommandLine.Command;

/**
 * {@code ddpp topics}: prepares a cluster for a pipeline before any role starts (a deployment's one-shot step):
 * creates the missing topics with their partitions, cleanup policy and replication, registers the value schemas
 * that clients written in other languages read, and prints each topic's replication as the cluster reports it.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Prepare or inspect the pipeline's topics on a cluster.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
public final class TopicsCommand extends CommandGroup {

    /** A topics subcommand: the connection options, and its work once Kafka and the registry answer. */
    abstract static class OnCluster extends RoleCommand {

        OnCluster() {
            super(ConnectionOptions.ALL);
        }

        @Override
        public final Integer call() {
            ClusterConnection cluster = connection().connection();
            StartupCheck.require(cluster, connection().startupTimeout());
            return run(cluster);
        }

        /** The exit code of the work on {@code cluster}. */
        abstract int run(ClusterConnection cluster);
    }

    /** {@code ddpp topics create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = {"Create every missing ddpp topic (replication from --replication-factor/--min-insync-replicas, "
                    + "by default 3/2 on a cluster of three or more brokers) and register the value schemas; "
                    + "existing topics are left as they are. Prints one line per topic."})
    static final class Create extends OnCluster {

        @Override
        int run(ClusterConnection cluster) {
            Set<String> created = cluster.createMissingTopics();
            Topics.registerValueSchemas(cluster.cachedRegistry(), cluster.topics().specs());
            describe(cluster, created);
            return 0;
        }
    }

    /** {@code ddpp topics describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
            description = "Print each ddpp topic's partitions, replication factor, min.insync.replicas and cleanup policy.")
    static final class Describe extends OnCluster {

        @Override
        int run(ClusterConnection cluster) {
            return describe(cluster, Set.of()) ? 0 : 1;
        }
    }

    /** Prints a line per topic; false when one is missing. */
    static boolean describe(ClusterConnection cluster, Set<String> created) {
        boolean all = true;
        try (Admin admin = cluster.admin("ddpp-topics")) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (TopicSpec<?, ?> spec : cluster.topics().specs()) {
                if (!existing.contains(spec.name())) {
                    System.out.println(spec.name() + ": missing");
                    all = false;
                    continue;
                }
                TopicDescription d = admin.describeTopics(Set.of(spec.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(spec.name());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Map<ConfigResource, Config> configs = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS);
                Config c = configs.get(resource);
                System.out.println(spec.name() + ": " + (created.contains(spec.name()) ? "created" : "exists")
                        + ", partitions " + d.partitions().size()
                        + ", replication " + d.partitions().get(0).replicas().size()
                        + ", min.insync.replicas " + c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()
                        + ", cleanup.policy " + c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe the topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        System.out.flush();
        return all;
    }
}

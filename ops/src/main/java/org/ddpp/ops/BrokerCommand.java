package org.ddpp.ops;

import java.nio.file.Path;
import java.util.List;
import org.ddpp.ops.cli.RoleCommand;
import org.ddpp.ops.cli.SettingOptions;
import org.ddpp.runtime.config.Settings;
import org.ddpp.schemas.Topics;
import org.ddpp.testkit.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp broker}: a real Kafka KRaft node (broker + controller) in this process: on its own a one-node cluster
 * for one machine with the project's topics created, or with {@code --node-id}, {@code --controller-quorum-voters}
 * and {@code --cluster-id} one member of a multi-node cluster. Prints {@code HOST:PORT} as its first line on stdout
 * once clients can connect; stops cleanly on SIGTERM. Its options are {@link BrokerSettings#ALL}.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = {"Run a Kafka 4.3.1 KRaft node (broker + controller) in this process: a one-node cluster, or with "
                + "--node-id, --controller-quorum-voters and --cluster-id one member of a cluster (then its topics "
                + "are created by 'ddpp topics create' once the cluster is up)."})
public final class BrokerCommand extends RoleCommand {

    public BrokerCommand() {
        super(BrokerSettings.ALL);
    }

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "Any other Kafka broker property, e.g. log.retention.hours=48; repeatable.")
    java.util.Map<String, String> brokerProperties = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        Path dataDir = chosen.get(BrokerSettings.DATA_DIR);
        int controllerPort = chosen.get(BrokerSettings.CONTROLLER_PORT);
        String quorumVoters = chosen.get(BrokerSettings.QUORUM_VOTERS);
        String clusterId = chosen.get(BrokerSettings.CLUSTER_ID);
        int nodeId = chosen.get(BrokerSettings.NODE_ID);
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder()
                .setDataDir(dataDir)
                .optPort(chosen.get(BrokerSettings.PORT))
                .optControllerPort(controllerPort)
                .optHost(chosen.get(BrokerSettings.HOST))
                .optTopics(chosen.get(BrokerSettings.NO_TOPICS) ? List.of() : Topics.all());
        brokerProperties.forEach(builder::optBrokerProperty);
        if (quorumVoters != null) {
            if (clusterId == null || controllerPort == 0) {
                throw new IllegalArgumentException("--controller-quorum-voters needs --cluster-id and a fixed --controller-port");
            }
            builder.optClusterMember(nodeId, quorumVoters, clusterId);
        } else if (clusterId != null || nodeId != 1) {
            throw new IllegalArgumentException("--node-id and --cluster-id need --controller-quorum-voters");
        }
        EmbeddedKafka kafka = builder.start();
        System.out.println(kafka.bootstrapServers());
        System.out.println("ddpp broker: Kafka KRaft listening on " + kafka.bootstrapServers() + ", data in "
                + dataDir.toAbsolutePath());
        System.out.flush();
        return org.ddpp.runtime.RoleLifecycle.run("broker", org.ddpp.runtime.RoleLifecycle.role(kafka, () -> true, () -> null),
                org.ddpp.runtime.RoleLifecycle.DEFAULT_SHUTDOWN_TIMEOUT);
    }
}

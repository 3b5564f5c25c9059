package org.ddpp.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ddpp.testkit.EmbeddedKafka;
import org.ddpp.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp broker}: a real Kafka KRaft node (broker + controller) in this process: on its own a one-node cluster
 * for one machine with the project's topics created, or with {@code --node-id}, {@code --controller-quorum-voters}
 * and {@code --cluster-id} one member of a multi-node cluster. Prints {@code HOST:PORT} as its first line on stdout
 * once clients can connect; stops cleanly on SIGTERM.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a Kafka 4.3.1 KRaft node (broker + controller) in this process: a one-node cluster, or with "
                + "--node-id, --controller-quorum-voters and --cluster-id one member of a cluster (then its topics "
                + "are created by 'ddpp topics create' once the cluster is up)."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "runs/kafka",
            description = "Directory for the broker's logs and metadata; kept across restarts (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092",
            description = "Client (PLAINTEXT) port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "0",
            description = "KRaft controller port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--host", defaultValue = EmbeddedKafka.Builder.DEFAULT_HOST,
            description = "Host to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--no-topics", description = "Do not create the ddpp topics on start.")
    boolean noTopics;

    @Option(names = "--node-id", defaultValue = "1", description = "This node's id in the cluster (default: ${DEFAULT-VALUE}).")
    int nodeId;

    @Option(names = "--controller-quorum-voters", paramLabel = "ID@HOST:PORT[,...]",
            description = "The KRaft quorum, this node included, e.g. 1@10.0.0.1:9093,2@10.0.0.2:9093,3@10.0.0.3:9093 "
                    + "(default: this node alone). Needs --controller-port and --cluster-id.")
    String quorumVoters;

    @Option(names = "--cluster-id", paramLabel = "UUID",
            description = "Cluster id every member formats its storage with (base64 UUID; default: a new one, for a one-node cluster).")
    String clusterId;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder()
                .setDataDir(dataDir)
                .optPort(port)
                .optControllerPort(controllerPort)
                .optHost(host)
                .optTopics(noTopics ? List.of() : Topics.all());
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

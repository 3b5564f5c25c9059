package org.ddpp.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ddpp.testkit.EmbeddedKafka;
import org.ddpp.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp broker}: a single-node Kafka KRaft broker for one machine, with the project's topics created.
 * Prints {@code 127.0.0.1:PORT} as its first line on stdout once clients can connect; stops cleanly on SIGTERM.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node Kafka 4.3.1 KRaft broker (broker + controller) in this process.")
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

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .setDataDir(dataDir)
                .optPort(port)
                .optControllerPort(controllerPort)
                .optHost(host)
                .optTopics(noTopics ? List.of() : Topics.all())
                .start();
        System.out.println(kafka.bootstrapServers());
        System.out.println("ddpp broker: Kafka KRaft listening on " + kafka.bootstrapServers() + ", data in "
                + dataDir.toAbsolutePath());
        System.out.flush();
        return org.ddpp.runtime.RoleLifecycle.run("broker", org.ddpp.runtime.RoleLifecycle.role(kafka, () -> true, () -> null),
                org.ddpp.runtime.RoleLifecycle.DEFAULT_SHUTDOWN_TIMEOUT);
    }
}

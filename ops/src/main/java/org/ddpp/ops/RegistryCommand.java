package org.ddpp.ops;

import java.util.concurrent.Callable;
import org.ddpp.ops.registry.RegistryServer;
import org.ddpp.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ddpp registry}: the Confluent-compatible schema registry against any Kafka cluster, storing schemas in a
 * compacted topic. Prints {@code http://127.0.0.1:PORT} as its first line on stdout once it serves requests;
 * stops cleanly on SIGTERM.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run a Confluent-compatible schema registry whose storage is a compacted Kafka topic.")
public final class RegistryCommand implements Callable<Integer> {

    @Mixin org.ddpp.ops.cli.ConnectionOptions connection;

    @Option(names = "--port", defaultValue = "8081",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = RegistryServer.Builder.DEFAULT_HOST,
            description = "Host to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--topic", defaultValue = "_schemas",
            description = "Compacted storage topic (default: ${DEFAULT-VALUE}).")
    String topic = Topics.SCHEMAS.name();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        org.ddpp.runtime.ClusterConnection cluster = connection.connection();
        org.ddpp.runtime.StartupCheck.requireKafka(cluster, connection.startupTimeout());
        RegistryServer registry = RegistryServer.builder()
                .setConnection(cluster)
                .optPort(port)
                .optHost(host)
                .optTopic(topic)
                .start();
        System.out.println(registry.url());
        System.out.println("ddpp registry: schema registry listening on " + registry.url() + ", storage topic "
                + topic + " on " + cluster.bootstrapServers());
        System.out.flush();
        return org.ddpp.runtime.RoleLifecycle.run("registry", org.ddpp.runtime.RoleLifecycle.role(registry, () -> true, () -> null),
                connection.shutdownTimeout());
    }
}

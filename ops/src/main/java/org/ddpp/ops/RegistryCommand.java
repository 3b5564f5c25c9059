package org.ddpp.ops;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ddpp.registry.Pbkdf2Password;
import org.ddpp.registry.RegistryServer;
import org.ddpp.registry.RegistryTls;
import org.ddpp.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ddpp registry}: the Confluent-compatible schema registry against any Kafka cluster, storing schemas in a
 * compacted topic. Prints {@code http://127.0.0.1:PORT} (or {@code https://…}) as its first line on stdout once
 * it serves requests; stops cleanly on SIGTERM. Optionally requires basic authentication ({@code --users}) and
 * serves https only ({@code --tls-keystore}); {@code ddpp registry hash-password} writes a users-file hash.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run a Confluent-compatible schema registry whose storage is a compacted Kafka topic.")
public final class RegistryCommand implements Callable<Integer> {

    @Mixin org.ddpp.ops.cli.ConnectionOptions connection;

    /** Environment variable read for {@code --tls-keystore-password} when the option is not given. */
    public static final String TLS_PASSWORD_ENV = "DDPP_REGISTRY_TLS_KEYSTORE_PASSWORD";

    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "8081",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = RegistryServer.Builder.DEFAULT_HOST,
            description = "Host to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--topic", defaultValue = "_schemas",
            description = "Compacted storage topic (default: ${DEFAULT-VALUE}).")
    String topic = Topics.SCHEMAS.name();

    @Option(names = "--users", paramLabel = "FILE",
            description = "Require HTTP basic authentication from the users in FILE: one 'user: password,role' per line"
                    + " (Jetty/Confluent property-file format, # comments), role read-only or read-write, password"
                    + " plaintext or PBKDF2-SHA256:... from 'ddpp registry hash-password'. Missing or wrong"
                    + " credentials get 401, writes by read-only users 403. Default: no authentication.")
    Path users;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve https only, with the private key and certificate in this key store. Default: plain http.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:" + TLS_PASSWORD_ENV + "}",
            description = "Password of the key store (and of its key). Default: the environment variable "
                    + TLS_PASSWORD_ENV + ", which keeps it off the command line.")
    String tlsKeystorePassword;

    @Option(names = "--tls-keystore-type", paramLabel = "TYPE", defaultValue = RegistryTls.DEFAULT_TYPE,
            description = "Key store type, PKCS12 or JKS (default: ${DEFAULT-VALUE}).")
    String tlsKeystoreType;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (tlsKeystore == null && spec.commandLine().getParseResult().hasMatchedOption("--tls-keystore-password")) {
            throw new IllegalArgumentException("--tls-keystore-password needs --tls-keystore");
        }
        org.ddpp.runtime.ClusterConnection cluster = connection.connection();
        RegistryServer.Builder builder = RegistryServer.builder()
                .setConnection(cluster)
                .optPort(port)
                .optHost(host)
                .optTopic(topic)
                .optUsers(users)
                .optTls(tlsKeystore == null ? null : new RegistryTls(tlsKeystore, tlsKeystorePassword, tlsKeystoreType))
                .checkSettings();
        org.ddpp.runtime.StartupCheck.requireKafka(cluster, connection.startupTimeout());
        RegistryServer registry = builder.start();
        System.out.println(registry.url());
        System.out.println("ddpp registry: schema registry listening on " + registry.url() + ", storage topic "
                + topic + " on " + cluster.bootstrapServers() + (users == null ? "" : ", basic authentication from " + users));
        System.out.flush();
        return org.ddpp.runtime.RoleLifecycle.run("registry", org.ddpp.runtime.RoleLifecycle.role(registry, () -> true, () -> null),
                connection.shutdownTimeout());
    }

    /** Prints the users-file form of a password read from the terminal (without echo) or the first line of stdin. */
    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Read a password (from the terminal without echo, or the first line of stdin) and print its"
                    + " PBKDF2-SHA256 form for a --users file, e.g. 'alice: <printed>,read-write'.")
    int hashPassword() throws Exception {
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("no password given");
        }
        spec.commandLine().getOut().println(Pbkdf2Password.hash(password));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

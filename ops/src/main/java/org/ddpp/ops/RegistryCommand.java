package org.ddpp.ops;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ddpp.ops.cli.RoleCommand;
import org.ddpp.ops.cli.SettingOptions;
import org.ddpp.registry.Pbkdf2Password;
import org.ddpp.registry.RegistryServer;
import org.ddpp.registry.RegistryTls;
import org.ddpp.runtime.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp registry}: the Confluent-compatible schema registry against any Kafka cluster, storing schemas in a
 * compacted topic. Prints {@code http://127.0.0.1:PORT} (or {@code https://…}) as its first line on stdout once
 * it serves requests; stops cleanly on SIGTERM. Optionally requires basic authentication ({@code --users}) and
 * serves https only ({@code --tls-keystore}); {@code ddpp registry hash-password} writes a users-file hash. Its
 * options are the connection options and {@link RegistrySettings#ALL}.
 */
@Command(name = "registry", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Run a Confluent-compatible schema registry whose storage is a compacted Kafka topic.")
public final class RegistryCommand extends RoleCommand {

    /** Environment variable read for {@code --tls-keystore-password} when the option is not given. */
    public static final String TLS_PASSWORD_ENV = "DDPP_REGISTRY_TLS_KEYSTORE_PASSWORD";

    public RegistryCommand() {
        super(withConnection(RegistrySettings.ALL));
    }

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:" + TLS_PASSWORD_ENV + "}",
            description = "Password of the key store (and of its key). Default: the environment variable "
                    + TLS_PASSWORD_ENV + ", which keeps it off the command line.")
    String tlsKeystorePassword;

    @Override
    public Integer call() throws Exception {
        Settings chosen = chosen();
        Path tlsKeystore = chosen.get(RegistrySettings.TLS_KEYSTORE);
        Path users = chosen.get(RegistrySettings.USERS);
        String topic = chosen.get(RegistrySettings.TOPIC);
        if (tlsKeystore == null && spec.commandLine().getParseResult().hasMatchedOption("--tls-keystore-password")) {
            throw new IllegalArgumentException("--tls-keystore-password needs --tls-keystore");
        }
        org.ddpp.runtime.ClusterConnection cluster = connection().connection();
        RegistryServer.Builder builder = RegistryServer.builder()
                .setConnection(cluster)
                .optPort(chosen.get(RegistrySettings.PORT))
                .optHost(chosen.get(RegistrySettings.HOST))
                .optTopic(topic)
                .optUsers(users)
                .optTls(tlsKeystore == null ? null
                        : new RegistryTls(tlsKeystore, tlsKeystorePassword, chosen.get(RegistrySettings.TLS_KEYSTORE_TYPE)))
                .checkSettings();
        org.ddpp.runtime.StartupCheck.requireKafka(cluster, connection().startupTimeout());
        RegistryServer registry = builder.start();
        System.out.println(registry.url());
        System.out.println("ddpp registry: schema registry listening on " + registry.url() + ", storage topic "
                + topic + " on " + cluster.bootstrapServers() + (users == null ? "" : ", basic authentication from " + users));
        System.out.flush();
        return org.ddpp.runtime.RoleLifecycle.run("registry", org.ddpp.runtime.RoleLifecycle.role(registry, () -> true, () -> null),
                connection().shutdownTimeout());
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
        out().println(Pbkdf2Password.hash(password));
        out().flush();
        return 0;
    }
}

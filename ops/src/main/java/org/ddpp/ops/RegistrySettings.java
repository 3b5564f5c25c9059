package org.ddpp.ops;

import java.nio.file.Path;
import java.util.List;
import org.ddpp.registry.RegistryServer;
import org.ddpp.registry.RegistryTls;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;

/**
 * The settings of {@code ddpp registry} besides the shared connection options, defined once (its options and the
 * configuration reference come from them). The key-store password is not among them: it is read from
 * {@link RegistryCommand#TLS_PASSWORD_ENV} unless given, and never shown as a default.
 */
public final class RegistrySettings {

    private RegistrySettings() {}

    public static final Setting<Integer> PORT = Setting.integer("port").defaultValue("8081").port()
            .doc("HTTP port; 0 picks a free one.").build();
    public static final Setting<String> HOST = Setting.text("host").defaultValue(RegistryServer.Builder.DEFAULT_HOST).notBlank()
            .doc("Host to listen on.").build();
    public static final Setting<String> TOPIC = Setting.text("topic").defaultValue("_schemas").notBlank()
            .doc("Compacted storage topic.").build();
    public static final Setting<Path> USERS = Setting.path("users").valueLabel("FILE")
            .doc("Require HTTP basic authentication from the users in FILE: one 'user: password,role' per line"
                    + " (Jetty/Confluent property-file format, # comments), role read-only or read-write, password"
                    + " plaintext or PBKDF2-SHA256:... from 'ddpp registry hash-password'. Missing or wrong"
                    + " credentials get 401, writes by read-only users 403. Default: no authentication.").build();
    public static final Setting<Path> TLS_KEYSTORE = Setting.path("tls-keystore").valueLabel("FILE")
            .doc("Serve https only, with the private key and certificate in this key store. Default: plain http.").build();
    public static final Setting<String> TLS_KEYSTORE_TYPE = Setting.text("tls-keystore-type").valueLabel("TYPE").defaultValue(RegistryTls.DEFAULT_TYPE)
            .doc("Key store type, PKCS12 or JKS.").build();

    /** Every setting of {@code ddpp registry} that is not a connection option. */
    public static final List<Setting<?>> ALL = List.of(PORT, HOST, TOPIC, USERS, TLS_KEYSTORE, TLS_KEYSTORE_TYPE);

    public static final SettingGroup GROUP = new SettingGroup("registry",
            "`ddpp registry`: the Confluent-compatible schema registry, stored in a compacted topic (besides the "
                    + "connection options, and `--tls-keystore-password`, by default from `" + RegistryCommand.TLS_PASSWORD_ENV + "`).", ALL);
}

package org.ddpp.schemas.serde;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.ddpp.schemas.registry.RegistryClientConfig;

/**
 * Typed settings of the Avro serdes, in Kafka's {@link ConfigDef} style so they can sit in a producer's or
 * consumer's properties. Names follow Confluent's serdes where one exists, so existing configuration carries
 * over. {@code schema.registry.url} is required; everything else has the documented default.
 */
public final class SerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String READER_CLASS = "ddpp.avro.reader.class";

    /** The definition: names, types, defaults and docs (the decode limits are {@link DecodeLimits}'). */
    public static final ConfigDef DEF = DecodeLimits.define(new ConfigDef())
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Base URL of a Confluent-compatible schema registry, e.g. http://127.0.0.1:8081.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serializer registers its writer schema under the subject when absent; when false it only "
                            + "looks the schema up and fails if it is not registered.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                    "HTTP basic authentication for the registry as user:password; empty means none.")
            .define(REQUEST_TIMEOUT_MS, Type.LONG, RegistryClientConfig.DEFAULT_REQUEST_TIMEOUT.toMillis(),
                    ConfigDef.Range.atLeast(1), Importance.LOW, "Timeout of one registry request in milliseconds.")
            .define(MAX_RETRIES, Type.INT, RegistryClientConfig.DEFAULT_MAX_RETRIES, ConfigDef.Range.atLeast(0),
                    Importance.LOW, "Retries of a registry request after network errors, HTTP 429 and 5xx.")
            .define(RETRY_BACKOFF_MS, Type.LONG, RegistryClientConfig.DEFAULT_INITIAL_BACKOFF.toMillis(),
                    ConfigDef.Range.atLeast(0), Importance.LOW,
                    "First back-off between registry retries in milliseconds, doubled per retry up to 2 s.")
            .define(TRUSTSTORE_LOCATION, Type.STRING, "", Importance.LOW,
                    "Trust store file for an https registry; empty means the JVM's default trust.")
            .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.LOW, "Password of the trust store.")
            .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Type of the trust store (PKCS12 or JKS).")
            .define(READER_CLASS, Type.CLASS, null, Importance.MEDIUM,
                    "Generated Avro class the deserializer reads into (its schema is the reader schema); "
                            + "unset means GenericRecord with the writer's schema.");

    public SerdeConfig(Map<String, ?> props) {
        super(DEF, props);
    }

    /** Settings with every default and the given registry URL. */
    public static SerdeConfig of(String registryUrl) {
        return new SerdeConfig(Map.of(SCHEMA_REGISTRY_URL, registryUrl));
    }

    /** The configured reader class, or null for generic records. */
    public Class<?> readerClass() {
        return getClass(READER_CLASS);
    }

    /** The limits the deserializer decodes within. */
    public DecodeLimits decodeLimits() {
        return new DecodeLimits(getInt(DecodeLimits.MAX_RECORD_BYTES), getInt(DecodeLimits.MAX_SCHEMA_DEPTH));
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    /** The registry client settings these serde settings describe. */
    public RegistryClientConfig clientConfig() {
        Duration backoff = Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
        RegistryClientConfig.Builder builder = RegistryClientConfig.builder()
                .setUrl(getString(SCHEMA_REGISTRY_URL))
                .optRequestTimeout(Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS)))
                .optMaxRetries(getInt(MAX_RETRIES))
                .optBackoff(backoff, RegistryClientConfig.DEFAULT_MAX_BACKOFF)
                .optBasicAuth(getPassword(BASIC_AUTH_USER_INFO).value());
        String trustStore = getString(TRUSTSTORE_LOCATION);
        if (!trustStore.isBlank()) {
            Password password = getPassword(TRUSTSTORE_PASSWORD);
            builder.optTrustStore(Path.of(trustStore), password.value(), getString(TRUSTSTORE_TYPE));
        }
        return builder.build();
    }
}

package org.ddpp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each shared setting comes from, and what reaches the Kafka clients and the registry client. */
class ConnectionSettingsTest {

    @TempDir
    Path dir;

    private Path clientConfig(String text) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsWithoutAnySource() {
        ClusterConnection c = ConnectionSettings.resolve(Map.of(), Map.of());
        assertEquals("127.0.0.1:9092", c.bootstrapServers());
        assertEquals("http://127.0.0.1:8081", c.registryUrl());
        assertTrue(c.registry().basicAuthUserInfo().isEmpty());
        assertTrue(c.topics().isDefault());
        assertEquals("ddpp.rewards", c.topics().rewards());
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Path file = clientConfig("bootstrap.servers=file:1\nschema.registry.url=http://file:2\n");
        Map<String, String> env = Map.of("DDPP_CLIENT_CONFIG", file.toString(), "DDPP_BOOTSTRAP_SERVERS", "env:1");
        ClusterConnection fromEnv = ConnectionSettings.resolve(Map.of(), env);
        assertEquals("env:1", fromEnv.bootstrapServers());
        assertEquals("http://file:2", fromEnv.registryUrl());
        ClusterConnection fromFlag = ConnectionSettings.resolve(Map.of(ConnectionSettings.BOOTSTRAP_SERVERS, "flag:1"), env);
        assertEquals("flag:1", fromFlag.bootstrapServers());
    }

    @Test
    void securityKeysReachEveryKafkaClientAndRegistryKeysTheRegistryClient() throws Exception {
        Path file = clientConfig(String.join("\n",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=reg:secret",
                "schema.registry.request.timeout.ms=1234",
                "enable.idempotence=true", ""));
        ClusterConnection c = ConnectionSettings.resolve(Map.of(ConnectionSettings.CLIENT_CONFIG, file.toString()), Map.of());
        for (Map<String, Object> props : new Map[] {c.producerProperties("p"), c.consumerProperties("c"), c.adminProperties("a"),
                c.streamsProperties()}) {
            assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));
            assertEquals("PLAIN", props.get("sasl.mechanism"));
            assertTrue(props.get("sasl.jaas.config").toString().contains("username=\"u\""));
            assertFalse(props.containsKey("basic.auth.user.info"), "registry keys stay out of Kafka clients");
            assertFalse(props.containsKey("schema.registry.request.timeout.ms"));
        }
        assertTrue(c.producerProperties("p").containsKey("enable.idempotence"));
        assertFalse(c.consumerProperties("c").containsKey("enable.idempotence"), "producer-only keys stay out of consumers");
        assertEquals("reg:secret", c.registry().basicAuthUserInfo().orElseThrow());
        assertEquals(1234, c.registry().requestTimeout().toMillis());
        assertFalse(c.toString().contains("secret") || c.toString().contains("password=\"p\""), c.toString());
    }

    @Test
    void registryCredentialsFromTheUrlOrInheritedFromSasl() throws Exception {
        ClusterConnection url = ConnectionSettings.fromProperties(Map.of(
                "schema.registry.url", "http://alice:pw@registry:8081", "basic.auth.credentials.source", "URL"));
        assertEquals("http://registry:8081", url.registryUrl());
        assertEquals("alice:pw", url.registry().basicAuthUserInfo().orElseThrow());
        ClusterConnection sasl = ConnectionSettings.fromProperties(Map.of("basic.auth.credentials.source", "SASL_INHERIT",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"s3\";"));
        assertEquals("bob:s3", sasl.registry().basicAuthUserInfo().orElseThrow());
        ClusterConnection cloud = ConnectionSettings.fromProperties(Map.of("schema.registry.basic.auth.user.info", "k:v"));
        assertEquals("k:v", cloud.registry().basicAuthUserInfo().orElseThrow());
    }

    @Test
    void badSettingsAreOneReadableLine() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.resolve(Map.of(ConnectionSettings.CLIENT_CONFIG, dir.resolve("nope").toString()), Map.of()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        IllegalArgumentException source = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.fromProperties(Map.of("basic.auth.credentials.source", "TOKEN")));
        assertTrue(source.getMessage().contains("basic.auth.credentials.source"), source.getMessage());
        assertFalse(source.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.fromProperties(Map.of("ddpp.topic.prefix", "a b")));
    }

    @Test
    void isolatedNamesRenameTopicsAndGroupsButNotTheRegistryLog() {
        TopicNames t = TopicNames.isolated("test.", "-1");
        assertEquals("test.ddpp.candidates-1", t.candidates());
        assertEquals("test.ddpp-trainer-r-1", t.trainerGroup("r"));
        assertEquals("test.ddpp-scorer-s-1", t.scorerGroup("s"));
        assertTrue(t.specs().stream().anyMatch(s -> s.name().equals("_schemas")));
        assertEquals(8, t.specs().size());
    }
}

package org.ddpp.ops;

import java.nio.file.Path;
import java.util.List;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.testkit.EmbeddedKafka;

/** The settings of {@code ddpp broker}, defined once (its options and the configuration reference come from them). */
public final class BrokerSettings {

    private BrokerSettings() {}

    public static final Setting<Path> DATA_DIR = Setting.path("data-dir").defaultValue("runs/kafka")
            .doc("Directory for the broker's logs and metadata; kept across restarts.").build();
    public static final Setting<Integer> PORT = Setting.integer("port").defaultValue("9092").port()
            .doc("Client (PLAINTEXT) port; 0 picks a free one.").build();
    public static final Setting<Integer> CONTROLLER_PORT = Setting.integer("controller-port").defaultValue("0").port()
            .doc("KRaft controller port; 0 picks a free one.").build();
    public static final Setting<String> HOST = Setting.text("host").defaultValue(EmbeddedKafka.Builder.DEFAULT_HOST).notBlank()
            .doc("Host to bind and advertise.").build();
    public static final Setting<Boolean> NO_TOPICS = Setting.flag("no-topics")
            .doc("Do not create the ddpp topics on start.").build();
    public static final Setting<Integer> NODE_ID = Setting.integer("node-id").defaultValue("1").nonNegative()
            .doc("This node's id in the cluster.").build();
    public static final Setting<String> QUORUM_VOTERS = Setting.text("controller-quorum-voters").valueLabel("ID@HOST:PORT[,...]")
            .doc("The KRaft quorum, this node included, e.g. "
                    + "1@10.0.0.1:9093,2@10.0.0.2:9093,3@10.0.0.3:9093 (default: this node alone). "
                    + "Needs --controller-port and --cluster-id.").build();
    public static final Setting<String> CLUSTER_ID = Setting.text("cluster-id").valueLabel("UUID")
            .doc("Cluster id every member formats its storage with (base64 UUID; default: a new one, for a one-node cluster).").build();

    /** Every setting of {@code ddpp broker}. */
    public static final List<Setting<?>> ALL = List.of(DATA_DIR, PORT, CONTROLLER_PORT, HOST, NO_TOPICS, NODE_ID,
            QUORUM_VOTERS, CLUSTER_ID);

    public static final SettingGroup GROUP = new SettingGroup("broker",
            "`ddpp broker`: a Kafka KRaft node (broker + controller) in this process, alone or one member of a cluster.", ALL);
}

package org.ddpp.ops.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.runtime.ClusterConnection;
import org.ddpp.schemas.TopicSpec;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.CandidateSource;
import org.ddpp.schemas.avro.PolicyUpdate;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.schemas.serde.Crafted;

/**
 * Hostile records for every topic a grid role reads, the ones the reliability tests craft: the issue's 26-byte
 * record whose array length prefix claims 2 147 483 639 elements (framed with the topic's real schema id), a record
 * naming a schema id the registry never issued, and per topic a well-formed record with a bad value (a token outside
 * the vocabulary, a NaN score or reward, an implausible policy version). Each injection says where the record landed
 * and which stages must dead-letter it, so the chaos run can check that every reader survived it.
 */
final class PoisonRecords implements AutoCloseable {

    /** A schema id no registry of this run has issued. */
    static final int UNKNOWN_SCHEMA_ID = 999_999;

    /** One poison record on the log, and the dead-letter stages that must report it (empty: none must). */
    record Injected(String topic, int partition, long offset, String key, String what, Set<String> expectedStages) {}

    private final ClusterConnection connection;
    private final CachedSchemaRegistry registry;
    private final String run;
    private final List<String> scorers;
    private final KafkaProducer<byte[], byte[]> producer;

    PoisonRecords(ClusterConnection connection, CachedSchemaRegistry registry, String run, List<String> scorers) {
        this.connection = connection;
        this.registry = registry;
        this.run = run;
        this.scorers = List.copyOf(scorers);
        Map<String, Object> props = connection.producerProperties("ddpp-chaos-poison");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The topics this class can poison, by {@link Topics} constant name. */
    static List<TopicSpec<?, ?>> targets() {
        return List.of(Topics.CANDIDATES, Topics.SCORES, Topics.REWARDS, Topics.POLICY, Topics.DLQ);
    }

    /** Writes the poison records for one topic and returns where they are. */
    List<Injected> inject(TopicSpec<?, ?> spec, Random random) throws Exception {
        String topic = connection.topics().of(spec);
        List<Injected> out = new ArrayList<>();
        if (spec == Topics.CANDIDATES) {
            Set<String> readers = scorerStages();
            readers.add("joiner:decode");
            String key = UUID.randomUUID().toString();
            out.add(send(topic, key, Crafted.issueRecord(schemaId(spec)), "26-byte candidate, array length 2147483639", readers));
            key = UUID.randomUUID().toString();
            out.add(send(topic, key, unknownSchema(), "candidate with unknown schema id", readers));
            key = UUID.randomUUID().toString();
            Candidate oov = candidate(key, List.of(GRID_VOCABULARY + 5, -3));
            out.add(send(topic, key, serializer(spec, Candidate.class).serialize(topic, oov),
                    "candidate of the run with tokens outside the vocabulary", Set.of("joiner:invalid")));
        } else if (spec == Topics.SCORES) {
            String key = UUID.randomUUID().toString();
            out.add(send(topic, key, Crafted.issueRecord(schemaId(spec)), "26-byte score with a huge length prefix", Set.of("joiner:decode")));
            key = UUID.randomUUID().toString();
            out.add(send(topic, key, unknownSchema(), "score with unknown schema id", Set.of("joiner:decode")));
            key = UUID.randomUUID().toString();
            Score nan = Score.newBuilder().setCandidateId(key).setRun(run).setScorer(scorers.get(0)).setScorerVersion("chaos")
                    .setStatus(ScoreStatus.OK).setLogReward(Double.NaN).setDetails(Map.of()).setLatencyMicros(1)
                    .setScoredAt(Instant.now()).build();
            out.add(send(topic, key, serializer(spec, Score.class).serialize(topic, nan),
                    "NaN score of a candidate that never comes", Set.of("joiner:orphan-score")));
        } else if (spec == Topics.REWARDS) {
            String key = UUID.randomUUID().toString();
            out.add(send(topic, key, Crafted.issueRecord(schemaId(spec)), "26-byte scored candidate, array length 2147483639", Set.of("trainer")));
            key = UUID.randomUUID().toString();
            out.add(send(topic, key, unknownSchema(), "scored candidate with unknown schema id", Set.of("trainer")));
            key = UUID.randomUUID().toString();
            ScoredCandidate nan = ScoredCandidate.newBuilder().setCandidate(candidate(key, List.of(70, 70)))
                    .setLogReward(Double.NaN).setComponents(List.of()).setJoinedAt(Instant.now()).build();
            out.add(send(topic, key, serializer(spec, ScoredCandidate.class).serialize(topic, nan), "NaN reward of the run", Set.of("trainer")));
            key = UUID.randomUUID().toString();
            ScoredCandidate oov = ScoredCandidate.newBuilder().setCandidate(candidate(key, List.of(GRID_VOCABULARY + 1, 3)))
                    .setLogReward(0.0).setComponents(List.of()).setJoinedAt(Instant.now()).build();
            out.add(send(topic, key, serializer(spec, ScoredCandidate.class).serialize(topic, oov),
                    "reward of the run with a token outside the vocabulary", Set.of("trainer")));
        } else if (spec == Topics.POLICY) {
            out.add(send(topic, run, Crafted.issueRecord(schemaId(spec)), "policy update, crafted 26 bytes", Set.of("sampler-policy")));
            out.add(send(topic, run, unknownSchema(), "policy update with unknown schema id", Set.of("sampler-policy")));
            byte[] sha = new byte[32];
            random.nextBytes(sha);
            PolicyUpdate huge = PolicyUpdate.newBuilder().setRun(run).setVersion(Long.MAX_VALUE).setStep(1)
                    .setUri("http://127.0.0.1:9/policies/" + run + "/v0.params").setSha256(HexFormat.of().formatHex(sha))
                    .setSizeBytes(1).setCreatedAt(Instant.now()).setDetails(Map.of()).build();
            out.add(send(topic, run, serializer(spec, PolicyUpdate.class).serialize(topic, huge),
                    "policy version Long.MAX_VALUE", Set.of("sampler-policy")));
        } else if (spec == Topics.DLQ) {
            // the samplers' flow control reads the dead-letter topic; nothing dead-letters a dead letter
            String key = UUID.randomUUID().toString();
            out.add(send(topic, key, Crafted.issueRecord(schemaId(spec)), "dead letter, crafted 26 bytes", Set.of()));
            out.add(send(topic, key, unknownSchema(), "dead letter with unknown schema id", Set.of()));
        } else {
            throw new IllegalArgumentException("no poison for topic " + spec.name());
        }
        return out;
    }

    /** The grid task's vocabulary: tokens 0..127 (MASK is not a token a candidate may hold). */
    private static final int GRID_VOCABULARY = org.ddpp.diffusion.task.GridTask.SIZE;

    private Set<String> scorerStages() {
        Set<String> stages = new java.util.TreeSet<>();
        scorers.forEach(s -> stages.add("scorer:" + s));
        return stages;
    }

    private Candidate candidate(String id, List<Integer> tokens) {
        return Candidate.newBuilder().setId(id).setRun(run).setTask("grid").setTokens(tokens).setText("poison")
                .setPolicyVersion(0).setSource(CandidateSource.PRETRAINED).setSamplerId("chaos-poison").setSeed(0)
                .setCreatedAt(Instant.now()).build();
    }

    private int schemaId(TopicSpec<?, ?> spec) {
        org.apache.avro.Schema schema = org.apache.avro.specific.SpecificData.get().getSchema(spec.valueType());
        return registry.idFor(connection.topics().of(spec) + "-value", schema, true);
    }

    private static byte[] unknownSchema() {
        return Crafted.record(UNKNOWN_SCHEMA_ID, out -> out.writeString("no registry issued this schema id"));
    }

    @SuppressWarnings("unchecked")
    private <V> Serializer<V> serializer(TopicSpec<?, ?> spec, Class<V> type) {
        return ((TopicSpec<?, V>) spec).valueSerde(registry, true).serializer();
    }

    private Injected send(String topic, String key, byte[] value, String what, Set<String> stages)
            throws InterruptedException, ExecutionException, TimeoutException {
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get(90, TimeUnit.SECONDS);
        return new Injected(topic, m.partition(), m.offset(), key, what, Set.copyOf(stages));
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}

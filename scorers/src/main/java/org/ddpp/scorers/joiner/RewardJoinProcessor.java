package org.ddpp.scorers.joiner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ddpp.schemas.avro.Candidate;
import org.ddpp.schemas.avro.DeadLetter;
import org.ddpp.schemas.avro.RewardComponent;
import org.ddpp.schemas.avro.Score;
import org.ddpp.schemas.avro.ScoreStatus;
import org.ddpp.schemas.avro.ScoredCandidate;
import org.ddpp.schemas.dlq.DeadLetters;
import org.ddpp.schemas.serde.AvroDeserializer;
import org.ddpp.schemas.serde.AvroSerializer;
import org.ddpp.schemas.serde.CachedSchemaRegistry;
import org.ddpp.runtime.TopicNames;
import org.ddpp.scorers.joiner.PendingJoin.RawRecord;
import org.ddpp.scorers.joiner.PendingJoin.ReceivedScore;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.scorers.reward.RewardConfigLog;
import org.ddpp.runtime.RewardConfigFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join itself, for one stream task: candidates and scores (both keyed by candidate id, co-partitioned) meet
 * in the {@code pending} store; when a candidate has an OK score from every required scorer it is combined with
 * {@link RewardComposition#combine} and forwarded to the rewards sink; a FAILED, INVALID or unusable required
 * score sends it to the dead-letter sink at once. A wall-clock punctuator walks the {@code deadlines} index
 * (key = 8-byte big-endian deadline + candidate id, so a range scan finds exactly the expired entries) and
 * dead-letters candidates still missing scores, and scores whose candidate never came. A settled candidate leaves
 * the pending store for the task's {@link SettledIndex}, so a late or duplicate score never yields a second verdict
 * (it is dropped and counted) and a candidate record that comes again is dead-lettered, however late either is.
 * Wall-clock time is used so that a quiet stream still times out.
 *
 * <p>Each candidate is joined under the reward configuration it carries ({@code rewardConfigVersion}, looked up in
 * {@link RewardVersions}; 0: the joiner's own composition), so a steered run's new scorers are required only for
 * candidates created after the change. A candidate whose version is not known here yet waits (it is tried again
 * at every punctuation) and is dead-lettered as {@code joiner:reward-config} at its deadline if it stays unknown. A record that cannot be decoded because the schema registry is unreachable is not
 * dead-lettered: the exception fails the task and the record is processed again.
 */
final class RewardJoinProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(RewardJoinProcessor.class);
    private static final int MAX_REASON = 2_000;

    private final JoinerConfig config;
    private final RewardComposition composition;
    private final TopicNames topics;
    private final JoinerMeters metrics;
    private final Deserializer<Candidate> candidates;
    private final Deserializer<Score> scores;
    private final Serializer<ScoredCandidate> rewards;
    private final Serializer<DeadLetter> letters;
    private final PendingJoinSerde state = new PendingJoinSerde();
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<Bytes, byte[]> deadlines;
    private SettledIndex settled;
    private final RewardVersions versions;
    /** Compositions of the steered versions met so far, by run and version. */
    private final java.util.Map<String, java.util.Map<Long, RewardComposition>> steered = new java.util.HashMap<>();
    /** Candidates with every score but whose reward configuration was not known yet (in memory; expiry retries too). */
    private final java.util.Set<String> awaitingConfig = new java.util.LinkedHashSet<>();

    RewardJoinProcessor(JoinerConfig config, CachedSchemaRegistry registry, JoinerMeters metrics, RewardVersions versions) {
        this.config = config;
        this.versions = versions;
        this.composition = config.composition();
        this.topics = config.topics();
        this.metrics = metrics;
        this.candidates = new AvroDeserializer<>(registry, Candidate.class);
        this.scores = new AvroDeserializer<>(registry, Score.class);
        this.rewards = new AvroSerializer<>(registry, true, false);
        this.letters = new AvroSerializer<>(registry, true, false);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        pending = context.getStateStore(RewardJoiner.PENDING_STORE);
        deadlines = context.getStateStore(RewardJoiner.DEADLINE_STORE);
        settled = new SettledIndex(context.getStateStore(RewardJoiner.SETTLED_STORE), config.settledCapacity(),
                SettledIndex.MAX_SAMPLERS);
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context().recordMetadata().orElseThrow();
        RawRecord raw = new RawRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(), record.key(), record.value());
        if (meta.topic().equals(topics.candidates())) {
            onCandidate(raw);
        } else {
            onScore(raw);
        }
    }

    private void onCandidate(RawRecord raw) {
        metrics.candidates.increment();
        Candidate candidate;
        try {
            candidate = candidates.deserialize(raw.topic(), raw.value());
        } catch (RuntimeException e) {
            rethrowIfRegistryOutage(e);
            deadLetter(raw, "joiner:decode", "undecodable candidate value: " + e.getMessage(), e);
            metrics.deadDecode.increment();
            return;
        }
        if (candidate == null) {
            deadLetter(raw, "joiner:decode", "candidate record without a value", null);
            metrics.deadDecode.increment();
            return;
        }
        String id = candidate.getId();
        PendingJoin entry = readPending(id);
        long now = now();
        if (entry != null && (entry.done() || entry.candidate() != null) || settled.contains(id)) {
            deadLetter(raw, "joiner:duplicate-candidate", "candidate " + id + " was already received", null);
            metrics.deadDuplicateCandidate.increment();
            return;
        }
        long horizon = settled.horizon(candidate.getSamplerId());
        if (candidate.getCreatedAt().toEpochMilli() <= horizon) {
            deadLetter(raw, "joiner:duplicate-candidate", "candidate " + id + " of sampler " + candidate.getSamplerId()
                    + " was created at " + candidate.getCreatedAt() + ", not after " + Instant.ofEpochMilli(horizon)
                    + ", when a candidate of that sampler the joiner settled had been created: it was settled before", null);
            metrics.deadDuplicateCandidate.increment();
            return;
        }
        long version = candidate.getRewardConfigVersion();
        if (version < 0) {
            deadLetter(raw, "joiner:reward-config", "candidate " + id + " carries reward-configuration version " + version
                    + " (versions are 0, unsteered, or from 1)", null);
            metrics.deadRewardConfig.increment();
            return;
        }
        PendingJoin next = entry == null
                ? PendingJoin.waitingFor(now + config.joinTimeout().toMillis(), raw, candidate.getRun(), version)
                : entry.withCandidate(raw, candidate.getRun(), version, now + config.joinTimeout().toMillis());
        if (entry != null) {
            deadlines.delete(deadlineKey(entry.deadline(), id));
        }
        deadlines.put(deadlineKey(next.deadline(), id), new byte[0]);
        settleOrKeep(id, next, candidate);
    }

    private void onScore(RawRecord raw) {
        metrics.scores.increment();
        Score score;
        try {
            score = scores.deserialize(raw.topic(), raw.value());
        } catch (RuntimeException e) {
            rethrowIfRegistryOutage(e);
            deadLetter(raw, "joiner:decode", "undecodable score value: " + e.getMessage(), e);
            metrics.deadDecode.increment();
            return;
        }
        if (score == null) {
            deadLetter(raw, "joiner:decode", "score record without a value", null);
            metrics.deadDecode.increment();
            return;
        }
        String id = score.getCandidateId();
        PendingJoin entry = readPending(id);
        if (entry != null && entry.done() || entry == null && settled.contains(id)) {
            metrics.lateScores.increment();
            LOG.debug("ignoring score of {} for {}, which was settled before", score.getScorer(), id);
            return;
        }
        Optional<RewardComposition> required = entry == null || entry.candidate() == null ? Optional.empty() : compositionOf(entry, null);
        boolean keep = required.isPresent() ? required.get().requires(score.getScorer())
                // before its candidate (or its configuration) is known: any scorer the joiner or a steered run requires
                : composition.requires(score.getScorer()) || versions.mayRequire(score.getScorer());
        if (!keep) {
            metrics.ignoredScores.increment();
            return;
        }
        if (entry != null && entry.scoreOf(score.getScorer()).isPresent()) {
            metrics.duplicateScores.increment();
            LOG.debug("ignoring duplicate score of {} for {}", score.getScorer(), id);
            return;
        }
        ReceivedScore received = new ReceivedScore(score.getScorer(), score.getScorerVersion(), score.getStatus(),
                score.getLogReward() == null ? Double.NaN : score.getLogReward(), reasonOf(score), raw);
        PendingJoin next;
        if (entry == null) {
            next = new PendingJoin(now() + config.joinTimeout().toMillis(), false, null, List.of(received));
            deadlines.put(deadlineKey(next.deadline(), id), new byte[0]);
        } else {
            next = entry.withScore(received);
        }
        settleOrKeep(id, next, null);
    }

    /** Emits or dead-letters the candidate when its scores decide it; otherwise stores the entry. */
    private void settleOrKeep(String id, PendingJoin entry, Candidate decoded) {
        if (entry.candidate() == null) {
            writePending(id, entry);
            return;
        }
        Optional<RewardComposition> resolved = compositionOf(entry, decoded);
        if (resolved.isEmpty()) {
            writePending(id, entry);
            awaitingConfig.add(id);
            return;
        }
        RewardComposition required = resolved.get();
        for (ReceivedScore s : entry.scores()) {
            if (!required.requires(s.scorer())) {
                continue; // came before the candidate showed it is not needed
            }
            if (s.status() != ScoreStatus.OK || Double.isNaN(s.logReward()) || s.logReward() == Double.POSITIVE_INFINITY) {
                String kind = s.status() == ScoreStatus.INVALID ? "invalid" : "failed";
                String why = s.status() == ScoreStatus.OK
                        ? "scorer " + s.scorer() + " returned OK without a usable log reward (" + s.logReward() + ")"
                        : "scorer " + s.scorer() + " returned " + s.status() + ": " + s.reason();
                deadLetter(entry.candidate(), "joiner:" + kind, why, null);
                (s.status() == ScoreStatus.INVALID ? metrics.deadInvalid : metrics.deadFailed).increment();
                settle(id, entry, decoded);
                return;
            }
        }
        if (!missing(entry, required).isEmpty()) {
            writePending(id, entry);
            return;
        }
        Candidate candidate = decoded != null ? decoded : candidates.deserialize(entry.candidate().topic(), entry.candidate().value());
        emit(id, entry, candidate, required);
        settle(id, entry, candidate);
    }

    /** The required scorers {@code entry} has no score from yet. */
    private static List<String> missing(PendingJoin entry, RewardComposition required) {
        return required.names().stream().filter(n -> entry.scoreOf(n).isEmpty()).toList();
    }

    /**
     * The composition the entry's candidate is joined under: the joiner's own for version 0, the steered run's
     * version otherwise; empty while that version is not known here. State from joiners before steering did not
     * keep the run: the candidate is decoded for it.
     */
    private Optional<RewardComposition> compositionOf(PendingJoin entry, Candidate decoded) {
        String run = entry.run();
        long version = entry.configVersion();
        if (run == null) {
            Candidate c = decoded != null ? decoded : candidates.deserialize(entry.candidate().topic(), entry.candidate().value());
            run = c.getRun();
            version = c.getRewardConfigVersion();
        }
        if (version == 0) {
            return Optional.of(composition);
        }
        java.util.Map<Long, RewardComposition> ofRun = steered.computeIfAbsent(run, r -> new java.util.HashMap<>());
        RewardComposition known = ofRun.get(version);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<RewardComposition> found = versions.config(run, version).map(RewardConfigLog::composition);
        if (found.isPresent()) {
            if (ofRun.size() >= RewardConfigFollower.MAX_VERSIONS_KEPT) {
                ofRun.clear();
            }
            ofRun.put(version, found.get());
        }
        return found;
    }

    private void emit(String id, PendingJoin entry, Candidate candidate, RewardComposition required) {
        double[] logRewards = new double[required.scorers().size()];
        List<RewardComponent> components = new ArrayList<>();
        for (int k = 0; k < logRewards.length; k++) {
            RewardComposition.WeightedScorer term = required.scorers().get(k);
            ReceivedScore s = entry.scoreOf(term.name()).orElseThrow();
            logRewards[k] = s.logReward();
            components.add(new RewardComponent(s.scorer(), s.version(), term.weight(), s.logReward()));
        }
        org.ddpp.schemas.reward.RewardFormula.Combined combined = required.combine(logRewards);
        long now = now();
        long version = candidate.getRewardConfigVersion();
        ScoredCandidate scored = ScoredCandidate.newBuilder().setCandidate(candidate)
                .setLogReward(combined.logReward()).setComponents(components).setJoinedAt(Instant.ofEpochMilli(now))
                .setRewardConfigVersion(version).build();
        byte[] key = entry.candidate().key() != null ? entry.candidate().key() : id.getBytes(StandardCharsets.UTF_8);
        context().forward(new Record<>(key, rewards.serialize(topics.rewards(), scored), now), RewardJoiner.REWARDS_SINK);
        metrics.recordJoined(combined.logReward(), combined.clamped(), version);
    }

    /**
     * Moves the entry from the pending store to the settled index. {@code decoded} is the candidate when it is at
     * hand (null: decoded again here for its sampler and creation time).
     */
    private void settle(String id, PendingJoin entry, Candidate decoded) {
        deadlines.delete(deadlineKey(entry.deadline(), id));
        pending.delete(id);
        Candidate candidate = decoded;
        if (candidate == null) {
            try {
                candidate = candidates.deserialize(entry.candidate().topic(), entry.candidate().value());
            } catch (RuntimeException e) {
                rethrowIfRegistryOutage(e);
                candidate = null; // it decoded when it came; without its sampler only its id is remembered
            }
        }
        if (candidate == null) {
            settled.add(id, "", Long.MIN_VALUE);
        } else {
            settled.add(id, candidate.getSamplerId(), candidate.getCreatedAt().toEpochMilli());
        }
    }

    /** The punctuator: settles every entry whose deadline has passed. */
    private void expire(long wallClockMs) {
        retryAwaitingConfig();
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(deadlineKey(0L, ""), deadlineKey(wallClockMs + 1, ""))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                expired.add(next.key);
            }
        }
        for (Bytes key : expired) {
            deadlines.delete(key);
            if (key.get().length < Long.BYTES) {
                LOG.warn("dropping a malformed deadline index key of {} bytes in task {}", key.get().length, context().taskId());
                continue;
            }
            ByteBuffer buffer = ByteBuffer.wrap(key.get());
            long deadline = buffer.getLong();
            String id = new String(key.get(), Long.BYTES, key.get().length - Long.BYTES, StandardCharsets.UTF_8);
            PendingJoin entry = readPending(id);
            if (entry == null || entry.deadline() != deadline) {
                continue;
            }
            if (entry.done()) {
                // a de-duplication marker written before the settled index existed
                pending.delete(id);
                settled.add(id, "", Long.MIN_VALUE);
            } else if (entry.candidate() != null) {
                awaitingConfig.remove(id);
                Optional<RewardComposition> required = compositionOf(entry, null);
                if (required.isEmpty()) {
                    String run = entry.run() != null ? entry.run() : "?";
                    deadLetter(entry.candidate(), "joiner:reward-config", "version " + entry.configVersion()
                            + " of run " + run + "'s reward configuration was not known to the joiner within "
                            + format(config.joinTimeout()) + " (is it in " + topics.rewardConfig() + "?)", null);
                    metrics.deadRewardConfig.increment();
                    settle(id, entry, null);
                    continue;
                }
                List<String> missing = missing(entry, required.get());
                if (missing.isEmpty()) {
                    settleOrKeep(id, entry, null); // its configuration came after its last score
                    continue;
                }
                deadLetter(entry.candidate(), "joiner:timeout", "no score from " + String.join(", ", missing)
                        + " within " + format(config.joinTimeout()), null);
                metrics.deadTimeout.increment();
                settle(id, entry, null);
            } else {
                String forgotten = settled.evicted() == 0 ? "" : "; or it was settled before the newest "
                        + config.settledCapacity() + " settled candidates of this partition, which are all the joiner remembers";
                for (ReceivedScore s : entry.scores()) {
                    deadLetter(s.raw(), "joiner:orphan-score", "candidate " + id + " did not arrive within "
                            + format(config.joinTimeout()) + " of its score from " + s.scorer()
                            + " (scores must be keyed by candidate id, like the candidates, to meet them)" + forgotten, null);
                    metrics.deadOrphanScore.increment();
                }
                pending.delete(id);
            }
        }
    }

    /** Settles the waiting candidates whose reward configuration has become known. */
    private void retryAwaitingConfig() {
        if (awaitingConfig.isEmpty()) {
            return;
        }
        for (String id : List.copyOf(awaitingConfig)) {
            PendingJoin entry = readPending(id);
            if (entry == null || entry.candidate() == null || entry.done()) {
                awaitingConfig.remove(id);
            } else if (compositionOf(entry, null).isPresent()) {
                awaitingConfig.remove(id);
                settleOrKeep(id, entry, null);
            }
        }
    }

    /**
     * The pending entry of {@code id}, or null. A value that does not read (it came from a corrupt changelog or
     * store) is dead-lettered as it is, with the changelog as its source and the candidate id as its key, and
     * dropped, so the join goes on instead of failing the stream thread on it again and again.
     */
    private PendingJoin readPending(String id) {
        byte[] bytes = pending.get(id);
        if (bytes == null) {
            return null;
        }
        try {
            return state.deserialize(null, bytes);
        } catch (RuntimeException e) {
            String changelog = context().applicationId() + "-" + RewardJoiner.PENDING_STORE + "-changelog";
            RawRecord raw = new RawRecord(changelog, context().taskId().partition(), -1L, now(),
                    id.getBytes(StandardCharsets.UTF_8), bytes);
            deadLetter(raw, "joiner:state", "unreadable joiner state for candidate " + id + " (" + e.getMessage()
                    + "); dropped: what it held (the candidate record, its scores) is in this dead letter's value, "
                    + "not in the join", e);
            metrics.deadState.increment();
            LOG.warn("joiner state of candidate {} in task {} does not read ({}); dead-lettered and dropped", id,
                    context().taskId(), e.getMessage());
            pending.delete(id);
            return null;
        }
    }

    private void writePending(String id, PendingJoin entry) {
        pending.put(id, state.serialize(null, entry));
    }

    private void deadLetter(RawRecord raw, String stage, String reason, Throwable cause) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.key(), raw.value());
        DeadLetter letter = DeadLetters.of(record, stage, reason, cause);
        context().forward(new Record<>(raw.key(), letters.serialize(topics.dlq(), letter), now()), RewardJoiner.DLQ_SINK);
        LOG.debug("dead-lettered {}-{}@{} at {}: {}", raw.topic(), raw.partition(), raw.offset(), stage, reason);
    }

    /**
     * A registry that cannot answer is not the record's fault: fail the task instead (the stream thread is replaced
     * and exactly-once processing reads the record again) rather than dead-letter a good record.
     */
    private static void rethrowIfRegistryOutage(RuntimeException e) {
        if (org.ddpp.schemas.registry.RegistryOutageException.isCause(e)) {
            throw e;
        }
    }

    private long now() {
        return context().currentSystemTimeMs();
    }

    private static String reasonOf(Score score) {
        String reason = Optional.ofNullable(score.getDetails().get("reason")).orElse(score.getDetails().toString());
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Index key: the deadline as 8 big-endian bytes (so byte order is time order), then the candidate id. */
    static Bytes deadlineKey(long deadline, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(deadline).put(idBytes).array());
    }
}

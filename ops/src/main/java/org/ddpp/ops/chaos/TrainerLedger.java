package org.ddpp.ops.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.trainer.online.OnlineTrainer;

/**
 * The trainer's side of the accounting, across its restarts. The trainer counts the scored candidates it takes in
 * ({@code consumed}), checkpoints the reader's next offset per partition, and after a crash resumes from the last
 * checkpoint, so it takes in again what it read after that checkpoint. Per incarnation this class knows where it
 * resumed (the checkpoint it will open, read the same way before it starts), and checks:
 *
 * <ul>
 *   <li>after a clean stop: the count it logs as consumed equals the trainable records of the reward log between
 *       where it resumed and its final checkpoint (exactly);</li>
 *   <li>after a crash: the next incarnation resumes no later than the position the crashed one had committed (nothing
 *       skipped, up to one poll of 500 records, since a commit may still have been on the wire), and what it takes
 *       in again is at most one checkpoint interval's intake ({@code --initial-fill + --checkpoint-every ×
 *       --fresh-per-step}, plus one poll).</li>
 * </ul>
 */
final class TrainerLedger {

    /** Records the trainer's reader takes per poll at most (its {@code max.poll.records}). */
    static final int POLL = 500;

    private static final Pattern STOPPED = Pattern.compile(
            "trainer \\S+ stopped at step (\\d+) \\(policy version (\\d+), (\\d+) candidates consumed");

    private final Path checkpointDir;
    private final Path logFile;
    private final String group;
    private final String rewardsTopic;
    private final long rereadBound;
    private Map<Integer, Long> resumedAt = Map.of();
    private Map<Integer, Long> crashedAt;
    private Map<Integer, Long> stoppedAt;
    private long logStart;
    private int incarnations;
    private long rereadMax;

    TrainerLedger(Path stateDir, Path logFile, String group, String rewardsTopic, int initialFill, int checkpointEvery,
            int freshPerStep) {
        this.checkpointDir = stateDir.resolve("checkpoint");
        this.logFile = logFile;
        this.group = group;
        this.rewardsTopic = rewardsTopic;
        this.rereadBound = initialFill + (long) checkpointEvery * freshPerStep + POLL;
    }

    /** Called just before the trainer process starts; checks the resume point against the previous incarnation's end. */
    void starting(TopicLedger topics, Admin admin) throws Exception {
        // the trainer's own rule: the checkpoint's offset per partition, else the group's committed one, else 0
        Map<Integer, Long> resume = committed(admin);
        resume.putAll(checkpointOffsets());
        if (crashedAt != null) {
            Map<Integer, Long> reached = new HashMap<>(crashedAt);
            resumedAt.forEach((p, o) -> reached.merge(p, o, Math::max));
            long skipped = topics.trainable(reached, resume);
            if (skipped > POLL) {
                topics.violation("trainer-skipped-rewards", "after a crash the trainer resumes at " + resume + ", "
                        + skipped + " trainable rewards beyond the " + reached + " it had reached");
            }
            long reread = topics.trainable(resume, reached);
            rereadMax = Math.max(rereadMax, reread);
            if (reread > rereadBound) {
                topics.violation("trainer-reread-beyond-interval", "after a crash the trainer takes in " + reread
                        + " rewards again, more than one checkpoint interval (" + rereadBound + ")");
            }
        }
        if (stoppedAt != null && !stoppedAt.equals(resume)) {
            topics.violation("trainer-resumed-elsewhere", "after a clean stop at " + stoppedAt
                    + " the trainer resumes from " + resume);
        }
        resumedAt = resume;
        crashedAt = null;
        stoppedAt = null;
        logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        incarnations++;
    }

    /** Called after the trainer was killed (or died): what it had committed is the most it can have reached. */
    void crashed(Admin admin) throws Exception {
        crashedAt = committed(admin);
    }

    private Map<Integer, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<Integer, Long> at = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (tp.topic().equals(rewardsTopic) && o != null) {
                at.put(tp.partition(), o.offset());
            }
        });
        return at;
    }

    /** Called after the trainer exited on SIGTERM: its logged intake must equal the log between resume and final checkpoint. */
    void stoppedCleanly(TopicLedger topics) throws IOException {
        String text = Files.readString(logFile, StandardCharsets.UTF_8);
        Matcher m = STOPPED.matcher(text.substring((int) Math.min(logStart, text.length())));
        long consumed = -1;
        while (m.find()) {
            consumed = Long.parseLong(m.group(3));
        }
        Map<Integer, Long> end = checkpointOffsets();
        if (consumed < 0) {
            topics.violation("trainer-no-final-line", "the trainer exited after SIGTERM without its 'stopped at step' line");
            crashedAt = end;
            return;
        }
        long expected = topics.trainable(resumedAt, end);
        if (consumed != expected) {
            topics.violation("trainer-applied-mismatch", "the trainer took in " + consumed + " rewards between "
                    + resumedAt + " and its final checkpoint " + end + ", where the reward log holds " + expected);
        }
        stoppedAt = end;
    }

    /** Sum of the trainer group's committed offsets: grows while the trainer reads. */
    static long progress(Admin admin, String group) throws Exception {
        long sum = 0;
        for (OffsetAndMetadata o : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(15, TimeUnit.SECONDS).values()) {
            sum += o == null ? 0 : o.offset();
        }
        return sum;
    }

    int incarnations() {
        return incarnations;
    }

    /** The most rewards one restart took in again. */
    long rereadMax() {
        return rereadMax;
    }

    long rereadBound() {
        return rereadBound;
    }

    private Map<Integer, Long> checkpointOffsets() throws IOException {
        Optional<Checkpoint> latest = Checkpoint.openLatest(checkpointDir);
        if (latest.isEmpty()) {
            return Map.of();
        }
        Map<String, String> extra = latest.get().manifest().extra();
        return OnlineTrainer.decodeOffsets(extra == null ? null : extra.get("offsets"));
    }
}

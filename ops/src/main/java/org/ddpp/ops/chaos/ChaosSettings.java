package org.ddpp.ops.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one chaos run does: how long it injects faults, the seed of their order and moments, the pause between a
 * recovery and the next fault, how long a recovery may take before it counts as a violation, and the roles' short
 * timeouts (so that a stopped role is noticed and a restarted one comes back quickly). Built with {@link #builder()};
 * every field has a documented default.
 *
 * @param duration how long faults are injected (default 10 minutes)
 * @param seed seed of the fault order, the moments and the victims (default 1)
 * @param minFaults keep injecting past {@code duration} until this many faults (default 0; the CI test sets 20)
 * @param faultGapMin shortest pause after a recovery before the next fault (default 500 ms)
 * @param faultGapMax longest such pause (default 3 s)
 * @param recoveryTimeout a fault not recovered from within this time is a violation (default 3 minutes)
 * @param sessionTimeout the scorers' and the joiner's consumer session timeout; a SIGSTOP lasts 2 s longer (default 6 s)
 * @param joinTimeout the joiner's {@code --join-timeout} (default 15 s)
 * @param transactionTimeout the scorers' {@code --transaction-timeout} (default 20 s)
 * @param startupTimeout every role's {@code --startup-timeout} (default 60 s: roles restarted while the broker is down wait)
 * @param shutdownTimeout every role's {@code --shutdown-timeout} (default 20 s)
 * @param run the run id (default {@code chaos})
 * @param pretrained the run's pre-trained checkpoint; null writes a small untrained grid model (default)
 * @param workDir where logs, the broker's data and the trainer's state go; null makes a temporary directory (default)
 * @param keepWorkDir keep the work directory after the run (default false; always kept when a violation is found)
 */
public record ChaosSettings(
        Duration duration,
        long seed,
        int minFaults,
        Duration faultGapMin,
        Duration faultGapMax,
        Duration recoveryTimeout,
        Duration sessionTimeout,
        Duration joinTimeout,
        Duration transactionTimeout,
        Duration startupTimeout,
        Duration shutdownTimeout,
        String run,
        Path pretrained,
        Path workDir,
        boolean keepWorkDir) {

    /** Trainer settings of the chaos loop: a small buffer, frequent versions and checkpoints. */
    int initialFill() {
        return 64;
    }

    int freshPerStep() {
        return 16;
    }

    int publishEvery() {
        return 20;
    }

    int checkpointEvery() {
        return 40;
    }

    int maxOutstanding() {
        return 512;
    }

    /** A duration as a role flag value. */
    static String flag(Duration d) {
        return d.toMillis() + "ms";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults above; every setter is optional. */
    public static final class Builder {
        private Duration duration = Duration.ofMinutes(10);
        private long seed = 1;
        private int minFaults;
        private Duration faultGapMin = Duration.ofMillis(500);
        private Duration faultGapMax = Duration.ofSeconds(3);
        private Duration recoveryTimeout = Duration.ofMinutes(3);
        private Duration sessionTimeout = Duration.ofSeconds(6);
        private Duration joinTimeout = Duration.ofSeconds(15);
        private Duration transactionTimeout = Duration.ofSeconds(20);
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(20);
        private String run = "chaos";
        private Path pretrained;
        private Path workDir;
        private boolean keepWorkDir;

        public Builder optDuration(Duration v) { this.duration = v; return this; }
        public Builder optSeed(long v) { this.seed = v; return this; }
        public Builder optMinFaults(int v) { this.minFaults = v; return this; }
        public Builder optFaultGap(Duration min, Duration max) { this.faultGapMin = min; this.faultGapMax = max; return this; }
        public Builder optRecoveryTimeout(Duration v) { this.recoveryTimeout = v; return this; }
        public Builder optSessionTimeout(Duration v) { this.sessionTimeout = v; return this; }
        public Builder optJoinTimeout(Duration v) { this.joinTimeout = v; return this; }
        public Builder optTransactionTimeout(Duration v) { this.transactionTimeout = v; return this; }
        public Builder optStartupTimeout(Duration v) { this.startupTimeout = v; return this; }
        public Builder optShutdownTimeout(Duration v) { this.shutdownTimeout = v; return this; }
        public Builder optRun(String v) { this.run = v; return this; }
        public Builder optPretrained(Path v) { this.pretrained = v; return this; }
        public Builder optWorkDir(Path v) { this.workDir = v; return this; }
        public Builder optKeepWorkDir(boolean v) { this.keepWorkDir = v; return this; }

        public ChaosSettings build() {
            if (duration.isNegative() || minFaults < 0) {
                throw new IllegalArgumentException("--minutes and --min-faults must not be negative");
            }
            if (faultGapMin.isNegative() || faultGapMax.compareTo(faultGapMin) < 0) {
                throw new IllegalArgumentException("the fault gap needs 0 <= min <= max, got " + faultGapMin + " and " + faultGapMax);
            }
            if (sessionTimeout.toMillis() < 6000) {
                throw new IllegalArgumentException("--session-timeout must be at least 6s (the broker's group.min.session.timeout.ms)");
            }
            return new ChaosSettings(duration, seed, minFaults, faultGapMin, faultGapMax, recoveryTimeout, sessionTimeout,
                    joinTimeout, transactionTimeout, startupTimeout, shutdownTimeout, run, pretrained, workDir, keepWorkDir);
        }
    }
}

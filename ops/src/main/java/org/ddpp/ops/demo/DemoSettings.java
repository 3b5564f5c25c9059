package org.ddpp.ops.demo;

import java.nio.file.Path;
import java.util.Objects;
import org.ddpp.runtime.config.Configured;
import org.ddpp.runtime.config.Settings;
import org.ddpp.runtime.config.SettingsBuilder;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.trainer.offline.PretrainConfig;

/**
 * Everything that shapes one run of the online pipeline in one process (the demo, the end-to-end tests and
 * {@code ddpp bench pipeline}). Build with {@link #builder()}; {@code set*} are required, the scalar settings are
 * {@link DemoOptions} given through {@code opt(setting, value)}, the others have their own {@code opt*}.
 *
 * @param run run id stamped on every record
 * @param connection the cluster to use; null = start the embedded broker and registry
 * @param startRegistry with a given cluster: start our registry against it instead of the connection's
 * @param workDir broker data, trainer state and joiner state live here
 * @param task the task, by the name of its profile in {@code TaskProfiles} (default grid)
 * @param cacheDir where data and pre-trained models are cached
 * @param pretrain pre-training settings; null (default) = the task profile's
 * @param composition the reward: required scorers, weights and floor; null (default) = the task profile's scorers
 * @param logRewardFloor floor on the combined log R when the reward is the task profile's (default -20)
 *     with floor −20
 * @param externalScorers command lines of scorers that run outside the JVM, by scorer name, started by the demo;
 *     {@code {bootstrap}}, {@code {registry}} and {@code {run}} in them are replaced by the run's values. A required
 *     scorer that is neither a Java scorer nor listed here is started from its known default (garnier-sheet: the
 *     Python scorer in {@code scorers/external/python}) unless {@code startExternal} is false
 * @param startExternal whether the demo starts external scorers itself (default true); false = the user runs them
 * @param settings the {@link DemoOptions} values: samplers, evaluation, and what the demo passes to its roles
 * @param meterRegistry the one registry every role's meters go to (the demo's {@code /metrics}); null = none
 */
public record DemoSettings(
        String run,
        org.ddpp.runtime.ClusterConnection connection,
        boolean startRegistry,
        Path workDir,
        String task,
        Path cacheDir,
        PretrainConfig pretrain,
        RewardComposition composition,
        double logRewardFloor,
        java.util.Map<String, java.util.List<String>> externalScorers,
        boolean startExternal,
        Settings settings,
        io.micrometer.core.instrument.MeterRegistry meterRegistry) implements Configured {

    public DemoSettings {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(task, "task");
        externalScorers = java.util.Map.copyOf(externalScorers);
        Objects.requireNonNull(settings, "settings");
    }


    public static Builder builder() {
        return new Builder();
    }

    /** Builder; unset options keep the documented defaults. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private String run;
        private org.ddpp.runtime.ClusterConnection connection;
        private boolean startRegistry;
        private Path workDir;
        private String task = "grid";
        private Path cacheDir = PretrainedCache.defaultDirectory();
        private PretrainConfig pretrain;
        private RewardComposition composition;
        private double logRewardFloor = RewardComposition.DEFAULT_FLOOR;
        private java.util.Map<String, java.util.List<String>> externalScorers = java.util.Map.of();
        private boolean startExternal = true;
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;

        public Builder setRun(String v) {
            run = v;
            return this;
        }

        public Builder setWorkDir(Path v) {
            workDir = v;
            return this;
        }

        /**
         * Run on this cluster instead of the embedded broker; with {@code startRegistry}, start our registry against
         * it instead of using the connection's registry.
         */
        public Builder optCluster(org.ddpp.runtime.ClusterConnection v, boolean startRegistry) {
            connection = v;
            this.startRegistry = startRegistry;
            return this;
        }

        public Builder optTask(String v) {
            task = v;
            return this;
        }

        public Builder optExternalScorers(java.util.Map<String, java.util.List<String>> v) {
            externalScorers = v;
            return this;
        }

        public Builder optStartExternal(boolean v) {
            startExternal = v;
            return this;
        }

        public Builder optCacheDir(Path v) {
            cacheDir = v;
            return this;
        }

        public Builder optPretrain(PretrainConfig v) {
            pretrain = v;
            return this;
        }

        /** Floor on the combined log R used with the task profile's scorers (with optComposition, its own floor). */
        public Builder optLogRewardFloor(double v) {
            logRewardFloor = v;
            return this;
        }

        public Builder optComposition(RewardComposition v) {
            composition = v;
            return this;
        }

        public Builder optMeterRegistry(io.micrometer.core.instrument.MeterRegistry v) {
            meterRegistry = v;
            return this;
        }

        public DemoSettings build() {
            return new DemoSettings(run, connection, startRegistry, workDir, task, cacheDir, pretrain, composition, logRewardFloor,
                    externalScorers, startExternal, settings(), meterRegistry);
        }
    }
}

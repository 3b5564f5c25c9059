package org.ddpp.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.ops.demo.DemoOptions;
import org.ddpp.runtime.config.RoleSettings;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.SettingGroup;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.offline.FineTuneSettings;

/**
 * The settings of the offline commands ({@code ddpp pretrain}, {@code sample} and the benchmarks), defined once:
 * a setting two commands share (the denoiser's size, the pre-training seed, the model cache, the report directory,
 * the baselines' sizes) is one definition, so its flag, default and doc cannot drift between them. Each command's
 * list is {@code *_COMMAND}; the fine-tune settings are {@link FineTuneSettings}.
 */
public final class OfflineSettings {

    private OfflineSettings() {}

    // the denoiser network
    public static final Setting<Integer> D_MODEL = Setting.integer("d-model").defaultValue("64").positive()
            .doc("Embedding width of the denoiser.").build();
    public static final Setting<Integer> LAYERS = Setting.integer("layers").defaultValue("2").positive()
            .doc("Transformer layers of the denoiser.").build();
    public static final Setting<Integer> HEADS = Setting.integer("heads").defaultValue("4").positive()
            .doc("Attention heads; must divide --d-model.").build();
    public static final List<Setting<?>> MODEL = List.of(D_MODEL, LAYERS, HEADS);

    // pre-training
    public static final Setting<String> TASK = Setting.text("task").defaultValue("grid").notBlank()
            .doc("Task to model; ddpp finetune: must match the pre-trained checkpoint.").build();
    public static final Setting<Integer> PRETRAIN_OPTIMISER_STEPS = Setting.integer("steps").defaultValue("3000").nonNegative()
            .doc("Optimiser steps.").build();
    public static final Setting<Integer> PRETRAIN_BATCH_SIZE = Setting.integer("batch-size").defaultValue("128").positive()
            .doc("Sequences per step.").build();
    public static final Setting<Double> PRETRAIN_LR = Setting.decimal("lr").defaultValue("1e-3").positive()
            .doc("Adam learning rate.").build();
    public static final Setting<Long> PRETRAIN_SEED = Setting.longValue("seed").defaultValue("7")
            .doc("Seed of pre-training: weights, data and masking.").build();
    public static final Setting<Path> OUT = Setting.path("out").required()
            .doc("Checkpoint directory to write.").build();
    public static final Setting<Path> PRETRAINED = Setting.path("pretrained").required()
            .doc("Checkpoint directory written by 'ddpp pretrain'.").build();
    public static final Setting<Path> CHECKPOINT = Setting.path("checkpoint").required()
            .doc("Checkpoint directory (pre-trained or fine-tuned).").build();
    /** Pre-training steps of a benchmark or the demo when the model is not cached; null = the task's. */
    public static final Setting<Integer> PRETRAIN_STEPS = DemoOptions.PRETRAIN_STEPS;
    public static final Setting<Path> CACHE_DIR = DemoOptions.CACHE_DIR;

    // sampling
    public static final Setting<String> SAMPLER = Setting.text("sampler").defaultValue("ancestral")
            .doc("ancestral (T steps, cached) or first-hit (one position per step).").build();
    public static final Setting<Integer> SAMPLER_STEPS = Setting.integer("sampler-steps").defaultValue("64").positive()
            .doc("Steps T of the ancestral sampler.").build();
    public static final Setting<Boolean> NO_CACHE = Setting.flag("no-cache")
            .doc("Re-run the network even when no position changed.").build();
    public static final Setting<Long> SAMPLING_SEED = Setting.longValue("seed").defaultValue("1")
            .doc("Sampling seed.").build();
    public static final Setting<Boolean> JSON = Setting.flag("json")
            .doc("Print one JSON object per sequence (tokens and rendering).").build();

    // the method comparisons (bench methods and bench <task>)
    public static final Setting<Integer> BEST_OF = Setting.integer("best-of").defaultValue("10").atLeast(1)
            .doc("N of best-of-N: candidates per sample.").build();
    public static final Setting<Integer> SVDD_CANDIDATES = Setting.integer("svdd-candidates").defaultValue("8").nonNegative()
            .doc("M of SVDD: proposals per sequence and denoising step; 0 skips SVDD (not in ddpp bench methods).").build();
    public static final Setting<Double> SVDD_ALPHA = Setting.decimal("svdd-alpha").defaultValue("0")
            .doc("SVDD selection temperature; 0 keeps the best proposal, > 0 samples proportional to exp(value/alpha).").build();
    public static final Setting<Integer> HAMMING_SUBSAMPLE = Setting.integer("hamming-subsample").defaultValue("500").atLeast(2)
            .doc("Samples whose pairs enter the mean Hamming distance.").build();
    public static final Setting<Long> SAMPLE_SEED = Setting.longValue("sample-seed").defaultValue("13")
            .doc("Seed of every method's sampling.").build();
    public static final Setting<Boolean> WITH_IS = Setting.flag("with-is")
            .doc("Also fine-tune with DDPP-IS (the same settings; M reward calls per training sample: --is-samples, "
                    + "16 in the task benchmarks).").build();
    public static final Setting<Path> REPORT_DIR = Setting.path("report-dir").defaultValue("reports")
            .doc("Where the markdown report and its pictures go.").build();

    // bench grid
    public static final Setting<Boolean> QUICK = Setting.flag("quick")
            .doc("A shorter run (1500 pre-training and 1200 fine-tuning steps) that finishes in well under 3 minutes on 2 cores.").build();
    public static final Setting<Integer> EVAL_EVERY = Setting.integer("eval-every").defaultValue("250").nonNegative()
            .doc("Exact TV evaluation every N fine-tune steps for the curve; 0 = only at the end.").build();
    public static final Setting<String> REWARD = Setting.text("reward").defaultValue("half-plane").notBlank()
            .doc("Grid target: half-plane, center, checkerboard, annulus[:inner=20,outer=36], coupling[:scale=16].").build();
    public static final Setting<Boolean> SUITE = Setting.flag("suite")
            .doc("Fine-tune toward every grid target from one pre-trained model and print {\"targets\": {name: exact figures}}.").build();

    // bench methods
    public static final Setting<String> METHODS_TASK = Setting.text("task").defaultValue("grid").notBlank()
            .doc("Task; only grid so far.").build();
    public static final Setting<Integer> METHODS_SAMPLES = Setting.integer("samples").defaultValue("2000").atLeast(1)
            .doc("Samples K drawn per method.").build();

    // bench <task>
    public static final Setting<Integer> TASK_SAMPLES = Setting.integer("samples").defaultValue("512").atLeast(1)
            .doc("Samples K drawn per method.").build();
    public static final Setting<Integer> TASK_STEPS = Setting.integer("steps").nonNegative()
            .doc("DDPP fine-tuning steps (default: the task's).").build();
    public static final Setting<Double> TASK_LR = Setting.decimal("lr").positive()
            .doc("Policy learning rate (default: the task's).").build();
    public static final Setting<Long> TASK_SEED = Setting.longValue("seed")
            .doc("Pre-training seed (default: the task's).").build();
    public static final Setting<Long> TASK_FINETUNE_SEED = Setting.longValue("finetune-seed")
            .doc("Seed of fine-tuning (default: the task's).").build();

    // bench pipeline
    public static final Setting<Double> SECONDS = Setting.decimal("seconds").defaultValue("90").positive()
            .doc("How long the online loop runs.").build();
    public static final Setting<Integer> OFFLINE_STEPS = Setting.integer("offline-steps").defaultValue("3000").atLeast(1)
            .doc("Steps of each offline-loop measurement (two: at its own budget and at the online loop's); 3 000 "
                    + "suits the grid, a real task wants a few hundred.").build();

    // bench steer
    public static final Setting<String> STEER_TARGETS = Setting.text("targets").defaultValue("half-plane;center;half-plane").notBlank()
            .doc("The rewards the run is steered through, separated by ';': the first from the start, each next one a switch (a grid target name or a scorer=weight,... spec).").build();
    public static final Setting<Double> PHASE_MINUTES = Setting.decimal("phase-minutes").defaultValue("5").positive()
            .doc("How long each target is kept before the next switch (and after the last).").build();
    public static final Setting<Double> TV_THRESHOLD = Setting.decimal("tv-threshold").defaultValue("0.10").positive()
            .doc("Exact TV to the new posterior whose first crossing after each switch is timed.").build();

    // bench failover
    public static final Setting<Path> FAILOVER_DIR = Setting.path("dir")
            .doc("Working directory (default: a new temporary one).").build();
    public static final Setting<Duration> WARM_UP = Setting.duration("warm-up").defaultValue("30s").nonNegative()
            .doc("Training time before the first fault.").build();
    public static final Setting<Duration> DOWN_FOR = Setting.duration("down-for").defaultValue("20s").nonNegative()
            .doc("How long a killed broker stays down.").build();
    public static final Setting<Duration> CUT_FOR = Setting.duration("cut-for").defaultValue("20s").nonNegative()
            .doc("How long the network cut lasts.").build();
    public static final Setting<Integer> ROUNDS = Setting.integer("rounds").defaultValue("1").between(1, 100)
            .doc("How many times the three faults are injected.").build();

    public static final List<Setting<?>> PRETRAIN_COMMAND = concat(List.of(TASK, OUT, RoleSettings.DEVICE, PRETRAIN_OPTIMISER_STEPS,
            PRETRAIN_BATCH_SIZE, PRETRAIN_LR, PRETRAIN_SEED), MODEL);
    public static final List<Setting<?>> FINETUNE_COMMAND = concat(List.of(TASK, PRETRAINED, OUT, RoleSettings.DEVICE, REWARD), FineTuneSettings.ALL);
    public static final List<Setting<?>> SAMPLE_COMMAND = List.of(CHECKPOINT, RoleSettings.DEVICE, SAMPLER, SAMPLER_STEPS, NO_CACHE,
            SAMPLING_SEED, JSON);
    public static final List<Setting<?>> BENCH_GRID_COMMAND = concat(List.of(QUICK, PRETRAIN_SEED, PRETRAIN_STEPS,
            EVAL_EVERY, REWARD, SUITE), FineTuneSettings.ALL, MODEL);
    public static final List<Setting<?>> BENCH_METHODS_COMMAND = concat(List.of(METHODS_TASK, METHODS_SAMPLES, BEST_OF,
            SVDD_CANDIDATES, SVDD_ALPHA, HAMMING_SUBSAMPLE, PRETRAIN_SEED, SAMPLE_SEED, PRETRAIN_STEPS, WITH_IS,
            REPORT_DIR, REWARD), FineTuneSettings.ALL, MODEL);
    public static final List<Setting<?>> BENCH_TASK_COMMAND = concat(List.of(RoleSettings.DEVICE, TASK_SAMPLES, BEST_OF, SVDD_CANDIDATES, SVDD_ALPHA,
            TASK_STEPS, TASK_LR, PRETRAIN_STEPS, TASK_SEED, TASK_FINETUNE_SEED, SAMPLE_SEED, WITH_IS, HAMMING_SUBSAMPLE,
            REPORT_DIR, CACHE_DIR), org.ddpp.trainer.learner.LossSettings.ALL);
    public static final List<Setting<?>> BENCH_PIPELINE_COMMAND = List.of(RoleSettings.DEVICE, SECONDS, OFFLINE_STEPS, CACHE_DIR,
            org.ddpp.trainer.online.TrainerSettings.FRESH_PER_STEP, org.ddpp.producers.SamplerSettings.MAX_OUTSTANDING,
            org.ddpp.producers.SamplerSettings.TARGET_LATENCY, org.ddpp.ops.demo.DemoOptions.TASK);
    public static final List<Setting<?>> BENCH_FAILOVER_COMMAND = List.of(FAILOVER_DIR, WARM_UP, DOWN_FOR, CUT_FOR, ROUNDS);
    public static final List<Setting<?>> BENCH_STEER_COMMAND = List.of(RoleSettings.DEVICE, STEER_TARGETS, PHASE_MINUTES, TV_THRESHOLD, CACHE_DIR);

    /** The groups of the configuration reference, in its order. */
    public static final List<SettingGroup> GROUPS = List.of(
            new SettingGroup("pretrain", "`ddpp pretrain`: MDLM pre-training on a task's prior data.", PRETRAIN_COMMAND),
            new SettingGroup("finetune", "`ddpp finetune`: the offline DDPP loop from a pre-trained checkpoint.", FINETUNE_COMMAND),
            new SettingGroup("sample", "`ddpp sample`: sequences from a checkpoint's policy (and `-n`/`--count`, default 16).", SAMPLE_COMMAND),
            new SettingGroup("bench grid", "`ddpp bench grid`: pre-train and fine-tune on the 2-D grid with exact evaluation.", BENCH_GRID_COMMAND),
            new SettingGroup("bench methods", "`ddpp bench methods`: the inference-time baselines next to DDPP on the grid.", BENCH_METHODS_COMMAND),
            new SettingGroup("bench protein", "`ddpp bench protein`, `mnist`, `sentiment`: the baselines next to DDPP on a real task; unset values are the task profile's.", BENCH_TASK_COMMAND),
            new SettingGroup("bench pipeline", "`ddpp bench pipeline`: the online loop against the offline loop (and the connection options).", BENCH_PIPELINE_COMMAND),
            new SettingGroup("bench failover", "`ddpp bench failover`: the grid loop on three brokers in network namespaces through crashes and a cut.", BENCH_FAILOVER_COMMAND),
            new SettingGroup("bench steer", "`ddpp bench steer`: the grid loop steered live through several targets, exact TV to each new posterior (and the connection options).", BENCH_STEER_COMMAND));

    /** The denoiser shape {@code values} describe. */
    public static NetworkShape shape(Settings values) {
        return NetworkShape.of(values.get(D_MODEL), values.get(LAYERS), values.get(HEADS));
    }

    @SafeVarargs
    private static List<Setting<?>> concat(List<Setting<?>>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}

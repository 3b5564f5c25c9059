package org.ddpp.trainer.offline;

import java.util.List;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.diffusion.train.Objective;
import org.ddpp.diffusion.train.Proposal;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;
import org.ddpp.trainer.learner.LossSettings;
import org.ddpp.trainer.online.TrainerSettings;

/**
 * The offline DDPP loop's scalar settings, defined once (used by {@link FineTuneConfig}, the task profiles,
 * {@code ddpp finetune}, {@code ddpp bench grid|methods} and the docs). {@link #CONFIG} are the loop's own and go into
 * {@link FineTuneConfig}; {@link #DDPP} go into its {@link DdppConfig} through {@link #config} ({@code diffusion} has no
 * settings of its own: it imports no runtime class). The learning rates, warm-up and batch size are the online
 * trainer's definitions: the same meaning and default.
 */
public final class FineTuneSettings {

    private FineTuneSettings() {}

    public static final Setting<Integer> STEPS = Setting.integer("steps").defaultValue("4000").nonNegative()
            .doc("Fine-tuning steps; ddpp bench grid --quick makes the default 1200.").build();
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size").defaultValue("128").positive()
            .doc("Samples per DDPP step (the online trainer's default is 64).").build();
    public static final Setting<Integer> BUFFER = Setting.integer("buffer").defaultValue("10000").positive()
            .doc("Replay buffer capacity.").build();
    public static final Setting<Integer> REFILL_EVERY = Setting.integer("refill-every").defaultValue("50").positive()
            .doc("Steps between replay-buffer refills.").build();
    public static final Setting<Integer> REFILL_SIZE = Setting.integer("refill-size").defaultValue("256").positive()
            .doc("Fresh samples per refill.").build();
    public static final Setting<Double> EXPLORATION_SHARE = Setting.decimal("exploration-share").defaultValue("0.5")
            .check("in [0, 1]", v -> v >= 0 && v <= 1).doc("Share of each refill from the exploration source.").build();
    public static final Setting<String> EXPLORE_FROM = Setting.text("explore-from").defaultValue("pretrained")
            .check("pretrained or prior", v -> v.equals("pretrained") || v.equals("prior"))
            .doc("Exploration source: pretrained (samples of the pre-trained model) or prior (prior data).").build();
    public static final Setting<Integer> SAMPLER_STEPS = Setting.integer("sampler-steps").defaultValue("64").positive()
            .doc("Steps of the ancestral sampler used for refills.").build();
    public static final Setting<Double> LOG_REWARD_FLOOR = Setting.decimal("log-reward-floor").defaultValue("-10")
            .doc("Floor on log R; R = 0 becomes this. The floored target puts about P(R = 0)·e^floor / E[R] of its mass "
                    + "where R = 0 (logged after the first refill; lower the floor for rarer rewards). The online "
                    + "reward joiner's default is -20.").build();
    public static final Setting<Double> LOG_REWARD_FLOOR_START = Setting.decimal("log-reward-floor-start")
            .doc("Anneal the floor: training batches start floored at this value, lowered linearly to --log-reward-floor "
                    + "over the first half of the steps (default: no annealing).").build();
    public static final Setting<Long> SEED = Setting.longValue("finetune-seed").defaultValue("11")
            .doc("Seed of sampling, masking and the log-Z network.").build();

    public static final Setting<String> OBJECTIVE = Setting.text("objective").defaultValue("lb")
            .doc("DDPP objective: lb (learned log Z), is (importance-sampled log Z) or kl (reverse KL per masked state, "
                    + "for a differentiable reward: coupling, center).").build();
    public static final Setting<Double> LR = Setting.decimal("lr").defaultValue("2e-3").positive()
            .doc("Policy learning rate (the online trainer's default is 3e-4, the paper's).").build();
    public static final Setting<Double> LOGZ_LR = TrainerSettings.LOGZ_LR;
    public static final Setting<Integer> WARMUP = TrainerSettings.WARMUP;
    public static final Setting<Double> GRAD_CLIP = Setting.decimal("grad-clip").defaultValue("1.0").positive()
            .doc("Global-norm gradient clip per network.").build();
    public static final Setting<Integer> IS_SAMPLES = Setting.integer("is-samples").defaultValue("16").positive()
            .doc("Importance samples M per training sample (IS).").build();
    public static final Setting<String> PROPOSAL = Setting.text("proposal").defaultValue("policy")
            .doc("IS proposal: policy or pretrained.").build();

    public static final Setting<Double> ELBO_WEIGHT = LossSettings.ELBO_WEIGHT;
    public static final Setting<Double> SINGLE_MASK_SHARE = LossSettings.SINGLE_MASK_SHARE;
    public static final Setting<String> TIME_WEIGHTING = LossSettings.TIME_WEIGHTING;
    public static final Setting<Double> MULTI_MASK_POLICY_WEIGHT = LossSettings.MULTI_MASK_POLICY_WEIGHT;
    public static final Setting<String> RESIDUAL = LossSettings.RESIDUAL;
    public static final Setting<Double> LOG_Z_ANCHOR = LossSettings.LOG_Z_ANCHOR;
    public static final Setting<String> LR_SCHEDULE = Setting.text("lr-schedule").defaultValue("decay")
            .check("decay or constant", v -> v.equals("decay") || v.equals("constant"))
            .doc("Learning rates over the fine-tune: decay (both fall linearly to a tenth over the steps; less gradient "
                    + "noise at the end) or constant (the paper's).").build();

    /** The settings {@link FineTuneConfig} holds. */
    public static final List<Setting<?>> CONFIG = List.of(STEPS, BATCH_SIZE, BUFFER, REFILL_EVERY, REFILL_SIZE,
            EXPLORATION_SHARE, EXPLORE_FROM, SAMPLER_STEPS, LOG_REWARD_FLOOR, LOG_REWARD_FLOOR_START, SEED);

    /** The settings that make the {@link DdppConfig}. */
    public static final List<Setting<?>> DDPP = List.of(OBJECTIVE, LR, LOGZ_LR, WARMUP, GRAD_CLIP, IS_SAMPLES, PROPOSAL,
            ELBO_WEIGHT, SINGLE_MASK_SHARE, TIME_WEIGHTING, MULTI_MASK_POLICY_WEIGHT, RESIDUAL, LOG_Z_ANCHOR, LR_SCHEDULE);

    /** Every fine-tune setting, as the offline commands offer them. */
    public static final List<Setting<?>> ALL = java.util.stream.Stream.concat(CONFIG.stream(), DDPP.stream()).toList();

    /**
     * The fine-tune {@code values} describe (every setting of {@link #ALL} not among them at its default): the DDPP
     * settings make its {@link DdppConfig}, the log-Z network has the default shape. A bad objective or proposal
     * is one readable {@link IllegalArgumentException}.
     */
    public static FineTuneConfig.Builder config(Settings values) {
        String proposal = values.get(PROPOSAL);
        Proposal prop = switch (proposal) {
            case "policy" -> Proposal.POLICY;
            case "pretrained" -> Proposal.PRETRAINED;
            default -> throw new IllegalArgumentException("--proposal must be policy or pretrained, got '" + proposal + "'");
        };
        DdppConfig ddpp = LossSettings.apply(values, DdppConfig.builder()
                .optObjective(Objective.parse(values.get(OBJECTIVE)))
                .optPolicyLearningRate(values.get(LR))
                .optLogZLearningRate(values.get(LOGZ_LR))
                .optWarmupSteps(values.get(WARMUP))
                .optGradClip(values.get(GRAD_CLIP))
                .optIsSamples(values.get(IS_SAMPLES))
                .optProposal(prop))
                .optLrDecaySteps(values.get(LR_SCHEDULE).equals("decay") ? values.get(STEPS) : 0)
                .build();
        return FineTuneConfig.builder().optDdpp(ddpp).opt(values);
    }
}

package org.ddpp.trainer.learner;

import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;

/**
 * The DDPP loss options for rewards that couple positions (docs/fidelity.md), defined once for the offline loop
 * ({@code FineTuneSettings}) and the online trainer ({@code TrainerSettings}). The terms are off by default; the
 * residual is the one-step one by default ({@link #RESIDUAL}).
 */
public final class LossSettings {

    private LossSettings() {}

    public static final Setting<Double> ELBO_WEIGHT = Setting.decimal("elbo-weight").defaultValue("0").nonNegative()
            .doc("Weight of the reward-weighted ELBO term on the exploration rows (cross-entropy to p_pre*R with "
                    + "self-normalised weights R); 0 = the paper's objective.").build();
    public static final Setting<Double> SINGLE_MASK_SHARE = Setting.decimal("single-mask-share").defaultValue("0")
            .check("in [0, 1]", v -> v >= 0 && v <= 1)
            .doc("Share of batch rows masked at exactly one position instead of at a drawn time.").build();
    public static final Setting<String> TIME_WEIGHTING = Setting.text("time-weighting").defaultValue("uniform")
            .check("uniform or decreasing", v -> v.equals("uniform") || v.equals("decreasing"))
            .doc("Weight of each row's squared DDPP residual over t: uniform (the paper) or decreasing, 2(1-t).").build();
    public static final Setting<Double> MULTI_MASK_POLICY_WEIGHT = Setting.decimal("multi-mask-policy-weight").defaultValue("1")
            .nonNegative().doc("Scale of the policy's gradient from the squared residual of rows with two or more masked "
                    + "positions; the log-Z network still trains on them.").build();
    public static final Setting<String> RESIDUAL = Setting.text("residual").defaultValue("position")
            .check("joint or position", v -> v.equals("joint") || v.equals("position"))
            .doc("The log-ratio DDPP-LB regresses: position (one masked position against the learned log Z of the "
                    + "state with it revealed; reaches the posterior of rewards that couple positions) or joint (the "
                    + "paper: all masked positions against log R; the task profiles of long sequences use it).").build();

    public static final Setting<Double> LOG_Z_ANCHOR = Setting.decimal("log-z-anchor").defaultValue("0").nonNegative()
            .doc("Weight of a Poisson loss that fits the log-Z network to E[R | xt] on the exploration rows alone; "
                    + "0 = log Z learns from the DDPP residual only (the paper).").build();

    /** The loss options, in the order the commands list them. */
    public static final java.util.List<Setting<?>> ALL = java.util.List.of(ELBO_WEIGHT, SINGLE_MASK_SHARE, TIME_WEIGHTING,
            MULTI_MASK_POLICY_WEIGHT, RESIDUAL, LOG_Z_ANCHOR);

    /**
     * {@code builder} with only the options of {@link #ALL} that {@code values} sets; the others keep the builder's
     * values (a task profile's, for {@code ddpp bench <task>}).
     */
    public static DdppConfig.Builder applyGiven(Settings values, DdppConfig.Builder builder) {
        return apply(values, builder, true);
    }

    /** {@code builder} with the options of {@link #ALL} from {@code values} (their defaults where absent). */
    public static DdppConfig.Builder apply(Settings values, DdppConfig.Builder builder) {
        return apply(values, builder, false);
    }

    private static DdppConfig.Builder apply(Settings values, DdppConfig.Builder builder, boolean onlyGiven) {
        java.util.function.Predicate<Setting<?>> take = s -> !onlyGiven || values.isSet(s);
        if (take.test(ELBO_WEIGHT)) {
            builder.optElboWeight(values.get(ELBO_WEIGHT));
        }
        if (take.test(SINGLE_MASK_SHARE)) {
            builder.optSingleMaskShare(values.get(SINGLE_MASK_SHARE));
        }
        if (take.test(TIME_WEIGHTING)) {
            builder.optTimeWeighting(DdppConfig.TimeWeighting.parse(values.get(TIME_WEIGHTING)));
        }
        if (take.test(MULTI_MASK_POLICY_WEIGHT)) {
            builder.optMultiMaskPolicyWeight(values.get(MULTI_MASK_POLICY_WEIGHT));
        }
        if (take.test(RESIDUAL)) {
            builder.optResidual(DdppConfig.Residual.parse(values.get(RESIDUAL)));
        }
        if (take.test(LOG_Z_ANCHOR)) {
            builder.optLogZAnchorWeight(values.get(LOG_Z_ANCHOR));
        }
        return builder;
    }
}

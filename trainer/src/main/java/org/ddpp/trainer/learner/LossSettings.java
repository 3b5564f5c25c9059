package org.ddpp.trainer.learner;

import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.runtime.config.Setting;
import org.ddpp.runtime.config.Settings;

/**
 * The DDPP loss options for rewards that couple positions (docs/fidelity.md), defined once for the offline loop
 * ({@code FineTuneSettings}) and the online trainer ({@code TrainerSettings}); all off by default, so the paper's
 * objective is unchanged unless they are given.
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

    /** {@code builder} with the four options of {@code values} (their defaults where absent). */
    public static DdppConfig.Builder apply(Settings values, DdppConfig.Builder builder) {
        return builder.optElboWeight(values.get(ELBO_WEIGHT))
                .optSingleMaskShare(values.get(SINGLE_MASK_SHARE))
                .optTimeWeighting(DdppConfig.TimeWeighting.parse(values.get(TIME_WEIGHTING)))
                .optMultiMaskPolicyWeight(values.get(MULTI_MASK_POLICY_WEIGHT));
    }
}

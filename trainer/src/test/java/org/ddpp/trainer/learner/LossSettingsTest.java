package org.ddpp.trainer.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.runtime.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * How the loss options reach a learner: {@code apply} sets all of them (defaults where absent), {@code applyGiven}
 * only those given, so a task profile's settings (the joint residual of the long-sequence tasks) survive a demo or a
 * task bench that was not told otherwise.
 */
class LossSettingsTest {

    @Test
    void absentOptionsAreTheDefaultsAndGivenOnesArrive() {
        DdppConfig defaults = LossSettings.apply(Settings.empty(), DdppConfig.builder()).build();
        assertEquals(DdppConfig.builder().build(), defaults);
        DdppConfig fidelity = LossSettings.apply(Settings.empty().with(LossSettings.ELBO_WEIGHT, 1.0)
                .with(LossSettings.MULTI_MASK_POLICY_WEIGHT, 0.0).with(LossSettings.TIME_WEIGHTING, "decreasing")
                .with(LossSettings.SINGLE_MASK_SHARE, 0.25).with(LossSettings.RESIDUAL, "joint"), DdppConfig.builder()).build();
        assertEquals(1.0, fidelity.elboWeight());
        assertEquals(0.0, fidelity.multiMaskPolicyWeight());
        assertEquals(DdppConfig.TimeWeighting.DECREASING, fidelity.timeWeighting());
        assertEquals(0.25, fidelity.singleMaskShare());
        assertEquals(DdppConfig.Residual.JOINT, fidelity.residual());
    }

    @Test
    void applySetsEveryOptionAndApplyGivenOnlyTheGivenOnes() {
        DdppConfig all = LossSettings.apply(Settings.empty(), DdppConfig.builder().optResidual(DdppConfig.Residual.JOINT).optElboWeight(0.5)).build();
        assertEquals(DdppConfig.Residual.POSITION, all.residual(), "the default residual");
        assertEquals(0.0, all.elboWeight());

        DdppConfig kept = LossSettings.applyGiven(Settings.empty(), DdppConfig.builder().optResidual(DdppConfig.Residual.JOINT)
                .optElboWeight(0.5).optPolicyLearningRate(5e-4)).build();
        assertEquals(DdppConfig.Residual.JOINT, kept.residual(), "a profile's residual stays when none is given");
        assertEquals(0.5, kept.elboWeight());
        assertEquals(5e-4, kept.policyLearningRate(), "not a loss option: untouched");

        Settings given = Settings.empty().with(LossSettings.RESIDUAL, "position").with(LossSettings.LOG_Z_ANCHOR, 2.0);
        DdppConfig changed = LossSettings.applyGiven(given, DdppConfig.builder().optResidual(DdppConfig.Residual.JOINT)
                .optElboWeight(0.5)).build();
        assertEquals(DdppConfig.Residual.POSITION, changed.residual());
        assertEquals(2.0, changed.logZAnchorWeight());
        assertEquals(0.5, changed.elboWeight(), "an option not given keeps the profile's value");
    }
}

package org.ddpp.trainer.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.runtime.config.Settings;
import org.junit.jupiter.api.Test;

/** The loss options reach the DDPP configuration of the offline loop and the online trainer alike; absent, they are the paper's. */
class LossSettingsTest {

    @Test
    void absentOptionsAreThePapersObjectiveAndGivenOnesArrive() {
        DdppConfig paper = LossSettings.apply(Settings.empty(), DdppConfig.builder()).build();
        DdppConfig plain = DdppConfig.builder().build();
        assertEquals(plain, paper);
        DdppConfig fidelity = LossSettings.apply(Settings.empty().with(LossSettings.ELBO_WEIGHT, 1.0)
                .with(LossSettings.MULTI_MASK_POLICY_WEIGHT, 0.0).with(LossSettings.TIME_WEIGHTING, "decreasing")
                .with(LossSettings.SINGLE_MASK_SHARE, 0.25), DdppConfig.builder()).build();
        assertEquals(1.0, fidelity.elboWeight());
        assertEquals(0.0, fidelity.multiMaskPolicyWeight());
        assertEquals(DdppConfig.TimeWeighting.DECREASING, fidelity.timeWeighting());
        assertEquals(0.25, fidelity.singleMaskShare());
    }
}

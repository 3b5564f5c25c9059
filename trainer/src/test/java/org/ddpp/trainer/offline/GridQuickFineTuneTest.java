package org.ddpp.trainer.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.ddpp.diffusion.eval.Distributions;
import org.ddpp.diffusion.eval.GridEvaluation;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.task.GridTask;
import org.junit.jupiter.api.Test;

/**
 * The quick grid run end to end, measured exactly: pre-training reaches the prior, DDPP-LB moves the policy from
 * TV ≈ 0.5 to below 0.2 of the true posterior, and the learned log Z at the fully masked input approaches
 * {@code log E_pre[R]} computed from the enumerated pre-trained distribution.
 */
class GridQuickFineTuneTest {

    @Test
    void ddppLbSteersTheGridModelToThePosterior() {
        GridTask task = new GridTask();
        HalfPlaneReward raw = new HalfPlaneReward();
        // what ddpp bench grid --quick runs: the offline defaults over 1 200 steps
        FineTuneConfig config = FineTuneSettings.config(org.ddpp.runtime.config.Settings.empty().with(FineTuneSettings.STEPS, 1200)).build();
        GridEvaluation eval = new GridEvaluation(task, new LogRewardFloor(raw, config.logRewardFloor()), raw);
        try (NDManager root = NDManager.newBaseManager()) {
            Pretraining.Result pre = Pretraining.run(task, PretrainConfig.defaults().withSteps(1500), root);
            double[] pPre = GridEvaluation.exact(pre.model());
            double[] target = eval.target(pPre);
            double tvPriorGap = eval.tvToPrior(pPre);
            double tvStart = Distributions.totalVariation(pPre, target);
            assertTrue(tvPriorGap < 0.1, "pre-trained model is far from the prior: TV " + tvPriorGap);
            assertTrue(tvStart > 0.4, "the pre-trained model should be far from the target: TV " + tvStart);

            try (OfflineDdppLoop loop = new OfflineDdppLoop(pre.model(), raw, config, root)) {
                OfflineDdppLoop.Summary summary = loop.run(null);
                double[] q = GridEvaluation.exact(loop.learner().policy());
                double tvEnd = Distributions.totalVariation(q, target);
                assertTrue(tvEnd < 0.2, "TV(policy, target) after 1200 steps = " + tvEnd);
                assertTrue(eval.massWhereRewardZero(q) < 0.05, "mass where R = 0: " + eval.massWhereRewardZero(q));
                assertEquals(eval.logPartition(pPre), summary.logZAtFullMask(), 0.2,
                        "learned log Z at the fully masked input vs exact log E_pre[R]");
                assertEquals(1200, summary.steps());
                assertTrue(loop.buffer().size() > 0 && loop.buffer().size() <= config.bufferCapacity());
            }
            pre.trainer().close();
            pre.model().close();
        }
    }
}

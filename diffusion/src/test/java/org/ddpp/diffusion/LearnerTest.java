package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.diffusion.train.DdppLearner;
import org.ddpp.diffusion.train.Objective;
import org.junit.jupiter.api.Test;

/** What a DDPP step may and may not change. */
class LearnerTest {

    private static final RewardFunction REWARD = new LogRewardFloor(xs -> {
        double[] r = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            r[i] = xs[i][0] >= 3 ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        return r;
    }, -20);

    private static List<float[]> snapshot(List<Parameter> params) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    private static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static MaskedBatch batch(TinyTask task, SplittableRandom rng) {
        int[][] x0 = task.samplePrior(32, rng);
        return MaskedBatch.draw(x0, REWARD.logReward(x0), task, new MaskSchedule(), rng);
    }

    @Test
    void referenceNeverChangesAndWarmupTrainsOnlyLogZ() {
        TinyTask task = new TinyTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm reference = TinyModels.pretrained(root, 20, 2);
            Mdm policy = reference.copy(root);
            LogPartition logZ = LogPartition.create(task, NetworkShape.of(16, 1, 2), 3, root);
            List<float[]> ref0 = snapshot(reference.parameters());
            List<float[]> pol0 = snapshot(policy.parameters());
            List<float[]> z0 = snapshot(logZ.parameters());
            assertTrue(same(ref0, pol0), "the policy must start as an exact copy of the reference");
            try (DdppLearner learner = new DdppLearner(DdppConfig.builder().optWarmupSteps(3).build(), policy, reference, logZ, null, root)) {
                SplittableRandom rng = new SplittableRandom(5);
                MaskedBatch first = batch(task, rng);
                learner.step(first, rng);
                double meanLogR = Arrays.stream(first.logReward()).average().orElseThrow();
                assertTrue(Math.abs(logZ.block().outputBias() - meanLogR) < 0.1,
                        "log-Z output bias should start at the first batch's mean log R");
                for (int i = 1; i < 3; i++) {
                    DdppLearner.StepResult r = learner.step(batch(task, rng), rng);
                    assertTrue(r.warmup());
                }
                assertTrue(same(pol0, snapshot(policy.parameters())), "warm-up changed the policy");
                assertFalse(same(z0, snapshot(logZ.parameters())), "warm-up did not train log Z");
                for (int i = 0; i < 10; i++) {
                    DdppLearner.StepResult r = learner.step(batch(task, rng), rng);
                    assertFalse(r.warmup());
                    assertTrue(Double.isFinite(r.loss()));
                }
                assertFalse(same(pol0, snapshot(policy.parameters())), "the policy did not move after warm-up");
                assertTrue(same(ref0, snapshot(reference.parameters())), "the reference model changed");
                assertEquals(13, learner.stepCount());
            }
        }
    }

    @Test
    void importanceSampledObjectiveTrainsThePolicyOnly() {
        TinyTask task = new TinyTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm reference = TinyModels.pretrained(root, 20, 2);
            Mdm policy = reference.copy(root);
            LogPartition logZ = LogPartition.create(task, NetworkShape.of(16, 1, 2), 3, root);
            List<float[]> ref0 = snapshot(reference.parameters());
            List<float[]> pol0 = snapshot(policy.parameters());
            DdppConfig config = DdppConfig.builder().optObjective(Objective.IS).optIsSamples(8).build();
            try (DdppLearner learner = new DdppLearner(config, policy, reference, logZ, REWARD, root)) {
                SplittableRandom rng = new SplittableRandom(6);
                for (int i = 0; i < 5; i++) {
                    assertTrue(Double.isFinite(learner.step(batch(task, rng), rng).loss()));
                }
            }
            assertFalse(same(pol0, snapshot(policy.parameters())));
            assertTrue(same(ref0, snapshot(reference.parameters())));
        }
    }

    @Test
    void stepsDoNotAccumulateNativeArrays() {
        TinyTask task = new TinyTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm reference = TinyModels.pretrained(root, 5, 2);
            Mdm policy = reference.copy(root);
            LogPartition logZ = LogPartition.create(task, NetworkShape.of(16, 1, 2), 3, root);
            try (DdppLearner learner = new DdppLearner(DdppConfig.builder().optWarmupSteps(2).build(), policy, reference, logZ, null, root)) {
                SplittableRandom rng = new SplittableRandom(5);
                for (int i = 0; i < 5; i++) {
                    learner.step(batch(task, rng), rng);
                }
                int before = root.getManagedArrays().size();
                for (int i = 0; i < 20; i++) {
                    learner.step(batch(task, rng), rng);
                }
                assertEquals(before, root.getManagedArrays().size(), "arrays leaked by DDPP steps");
            }
        }
    }
}

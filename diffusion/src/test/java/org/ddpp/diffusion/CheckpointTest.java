package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.Tasks;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.diffusion.train.DdppLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final RewardFunction REWARD = xs -> {
        double[] r = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            r[i] = xs[i][0] >= 3 ? 0.0 : -5.0;
        }
        return r;
    };

    @TempDir Path dir;

    /** A registry-free task lookup for the tiny test task. */
    static {
        Tasks.register(new TinyTask());
    }

    private static MaskedBatch batch(long seed) {
        TinyTask task = new TinyTask();
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] x0 = task.samplePrior(32, rng);
        return MaskedBatch.draw(x0, REWARD.logReward(x0), task, new MaskSchedule(), rng);
    }

    @Test
    void roundTripReproducesOutputsAndTrainingBitForBit() throws IOException {
        TinyTask task = new TinyTask();
        MaskedBatch probe = batch(100);
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm reference = TinyModels.pretrained(root, 20, 4);
            Mdm policy = reference.copy(root);
            LogPartition logZ = LogPartition.create(task, NetworkShape.of(16, 1, 2), 8, root);
            DdppConfig config = DdppConfig.builder().optWarmupSteps(2).build();
            DdppLearner learner = new DdppLearner(config, policy, reference, logZ, null, root);
            for (int i = 0; i < 5; i++) {
                learner.step(batch(i), new SplittableRandom(i));
            }
            Checkpoint.writer(dir.resolve("ck"), task).setPolicy(policy).optReference(reference)
                    .optLogPartition(logZ).optLearner(learner).optStep(learner.stepCount()).optPolicyVersion(3)
                    .optExtra("offsets", "candidates-0:17").write();

            Checkpoint ck = Checkpoint.open(dir.resolve("ck"));
            assertEquals(5, ck.manifest().step());
            assertEquals(3, ck.manifest().policyVersion());
            assertEquals("candidates-0:17", ck.manifest().extra().get("offsets"));
            Mdm policy2 = ck.loadPolicy(root);
            Mdm reference2 = ck.loadReference(root);
            LogPartition logZ2 = ck.loadLogPartition(root);
            assertArrayEquals(logProbs(root, policy, probe), logProbs(root, policy2, probe));
            assertArrayEquals(logProbs(root, reference, probe), logProbs(root, reference2, probe));
            assertArrayEquals(logZValues(root, logZ, probe), logZValues(root, logZ2, probe));

            // Optimiser state and step counter come back too: one more step on both gives identical weights.
            DdppLearner learner2 = new DdppLearner(config, policy2, reference2, logZ2, null, root);
            ck.restoreLearner(learner2);
            assertEquals(5, learner2.stepCount());
            learner.step(batch(77), new SplittableRandom(1));
            learner2.step(batch(77), new SplittableRandom(1));
            assertArrayEquals(logProbs(root, policy, probe), logProbs(root, policy2, probe));
            assertArrayEquals(logZValues(root, logZ, probe), logZValues(root, logZ2, probe));
        }
    }

    @Test
    void refusesACorruptedFile() throws IOException {
        TinyTask task = new TinyTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm model = Mdm.create(task, TinyModels.SHAPE, 1, root);
            Checkpoint.writer(dir.resolve("ck"), task).setPolicy(model).write();
        }
        Files.write(dir.resolve("ck").resolve(Checkpoint.POLICY), new byte[] {1}, StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.open(dir.resolve("ck")));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Checkpoint.open(dir.resolve("missing")));
    }

    @Test
    void rewritingReplacesAtomically() throws IOException {
        TinyTask task = new TinyTask();
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm a = Mdm.create(task, TinyModels.SHAPE, 1, root);
            Mdm b = Mdm.create(task, TinyModels.SHAPE, 2, root);
            Checkpoint.writer(dir.resolve("ck"), task).setPolicy(a).optStep(1).write();
            Checkpoint.writer(dir.resolve("ck"), task).setPolicy(b).optStep(2).write();
            Checkpoint ck = Checkpoint.open(dir.resolve("ck"));
            assertEquals(2, ck.manifest().step());
            Mdm loaded = ck.loadPolicy(root);
            MaskedBatch probe = batch(3);
            assertArrayEquals(logProbs(root, b, probe), logProbs(root, loaded, probe));
            try (var files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "temporary files left behind");
            }
        }
    }

    @Test
    void aCrashBetweenTheRenamesOrACorruptCheckpointFallsBackToThePreviousOne() throws IOException {
        TinyTask task = new TinyTask();
        Path ck = dir.resolve("ck");
        try (NDManager root = NDManager.newBaseManager()) {
            Mdm a = Mdm.create(task, TinyModels.SHAPE, 1, root);
            Mdm b = Mdm.create(task, TinyModels.SHAPE, 2, root);
            assertTrue(Checkpoint.openLatest(ck).isEmpty(), "nothing written yet");
            Checkpoint.writer(ck, task).setPolicy(a).optStep(1).write();
            Checkpoint.writer(ck, task).setPolicy(b).optStep(2).write();
            assertEquals(2, Checkpoint.openLatest(ck).orElseThrow().manifest().step());
            assertEquals(1, Checkpoint.open(Checkpoint.previous(ck)).manifest().step(), "the replaced one is kept");

            // corrupt current one: the previous generation is used
            Files.write(ck.resolve(Checkpoint.POLICY), new byte[] {1}, StandardOpenOption.APPEND);
            Checkpoint fallback = Checkpoint.openLatest(ck).orElseThrow();
            assertEquals(1, fallback.manifest().step());
            MaskedBatch probe = batch(3);
            assertArrayEquals(logProbs(root, a, probe), logProbs(root, fallback.loadPolicy(root), probe));

            // a crash after the current one was renamed away and before the new one was renamed in
            try (var walk = Files.walk(ck)) {
                for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
            assertTrue(Checkpoint.exists(ck));
            assertEquals(1, Checkpoint.openLatest(ck).orElseThrow().manifest().step());

            // the next write starts from there and keeps a previous generation again
            Checkpoint.writer(ck, task).setPolicy(b).optStep(3).write();
            assertEquals(3, Checkpoint.openLatest(ck).orElseThrow().manifest().step());
            assertEquals(1, Checkpoint.open(Checkpoint.previous(ck)).manifest().step());

            // both generations corrupt: the current one's error, not a silent fresh start
            Files.write(ck.resolve(Checkpoint.POLICY), new byte[] {1}, StandardOpenOption.APPEND);
            Files.write(Checkpoint.previous(ck).resolve(Checkpoint.POLICY), new byte[] {1}, StandardOpenOption.APPEND);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.openLatest(ck));
            assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        }
    }

    private static float[] logProbs(NDManager root, Mdm model, MaskedBatch b) {
        try (NDManager m = root.newSubManager()) {
            return model.logProbs(m, b.xt(), false).toFloatArray();
        }
    }

    private static float[] logZValues(NDManager root, LogPartition lp, MaskedBatch b) {
        try (NDManager m = root.newSubManager()) {
            return lp.logZ(m, b.xt(), b.t(), false).toFloatArray();
        }
    }
}

package org.ddpp.ops.tasks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.HalfPlaneReward;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.diffusion.task.Task;
import org.ddpp.scorers.reward.ExactRewards;
import org.ddpp.scorers.reward.RewardComposition;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.offline.PretrainConfig;
import org.ddpp.trainer.tasks.TaskProfile;

/**
 * The 2-D grid: two tokens of 0..127, the demo's reward {@code grid-half-plane=1,grid-center=1}. Its exact
 * evaluation (TV to the enumerated target) lives in the grid benchmark and the demo; this profile gives the demo
 * its model size and reward like every other task.
 */
public final class GridProfile implements TaskProfile {

    private final GridTask task = new GridTask();

    public GridProfile(Path cacheDir) {}

    @Override
    public Task task() {
        return task;
    }

    @Override
    public PretrainConfig pretrain() {
        return PretrainConfig.defaults();
    }

    @Override
    public FineTuneConfig.Builder fineTune() {
        return FineTuneConfig.builder();
    }

    @Override
    public String rewardSpec() {
        return RewardComposition.DEFAULT_SPEC;
    }

    @Override
    public RewardFunction reward() {
        return ExactRewards.of(RewardComposition.parse(rewardSpec(), RewardComposition.DEFAULT_FLOOR));
    }

    @Override
    public Map<String, Double> quality(int[][] samples, Mdm model) {
        double[] half = new HalfPlaneReward().logReward(samples);
        long positive = java.util.Arrays.stream(half).filter(v -> v > Double.NEGATIVE_INFINITY).count();
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("fraction_right_half", positive / (double) samples.length);
        return q;
    }
}

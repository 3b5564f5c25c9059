package org.ddpp.trainer.offline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the method comparison measures for one method on K samples: reward, the grid's quality figures, diversity,
 * and the cost (reward calls, wall time). One row of the benchmark's table and one entry of its JSON.
 *
 * @param meanLogReward mean floored log R of the samples
 * @param fractionRewardPositive share of samples with raw R > 0 (the grid's quality metric)
 * @param tvHistogramCells TV of the samples' 128×128 histogram to the exact target (includes sampling noise of K)
 * @param tvHistogramSquares the same on the 4×4 layout of 32×32 blocks, one prior square each (little noise)
 * @param tvExactModel exact TV of the model's first-hit distribution to the target, NaN where no exact table exists
 * @param rewardCalls reward calls spent (training included for DDPP)
 * @param seconds wall time (training included for DDPP)
 */
public record MethodResult(
        String method,
        String sampler,
        int samples,
        double meanLogReward,
        double fractionRewardPositive,
        double tvHistogramCells,
        double tvHistogramSquares,
        double tvExactModel,
        double distinctFraction,
        double meanPairwiseHamming,
        long rewardCalls,
        double seconds) {

    /** The JSON object of this result (NaN figures are left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampler", sampler);
        m.put("samples", samples);
        m.put("mean_log_r", meanLogReward);
        m.put("fraction_r_positive", fractionRewardPositive);
        m.put("tv_hist_to_target", tvHistogramCells);
        m.put("tv_squares_to_target", tvHistogramSquares);
        if (!Double.isNaN(tvExactModel)) {
            m.put("tv_exact_to_target", tvExactModel);
        }
        m.put("distinct_fraction", distinctFraction);
        m.put("mean_pairwise_hamming", meanPairwiseHamming);
        m.put("reward_calls", rewardCalls);
        m.put("reward_calls_per_sample", rewardCalls / (double) samples);
        m.put("wall_s", seconds);
        return m;
    }
}

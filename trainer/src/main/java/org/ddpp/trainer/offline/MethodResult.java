package org.ddpp.trainer.offline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the method comparison measures for one method on K samples: reward, the task's quality figures, diversity,
 * and the cost (reward calls, wall time). One row of the benchmark's table and one entry of its JSON.
 *
 * @param meanLogReward mean floored log R of the samples
 * @param quality the task's quality figures by JSON name (grid: share with R &gt; 0, histogram TV to the target, ...)
 * @param rewardCalls reward calls spent (training included for DDPP)
 * @param seconds wall time (training included for DDPP)
 */
public record MethodResult(
        String method,
        String sampler,
        int samples,
        double meanLogReward,
        Map<String, Double> quality,
        double distinctFraction,
        double meanPairwiseHamming,
        long rewardCalls,
        double seconds) {

    /** The JSON object of this result (NaN quality figures are left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampler", sampler);
        m.put("samples", samples);
        m.put("mean_log_r", meanLogReward);
        quality.forEach((k, v) -> {
            if (!Double.isNaN(v)) {
                m.put(k, v);
            }
        });
        m.put("distinct_fraction", distinctFraction);
        m.put("mean_pairwise_hamming", meanPairwiseHamming);
        m.put("reward_calls", rewardCalls);
        m.put("reward_calls_per_sample", rewardCalls / (double) samples);
        m.put("wall_s", seconds);
        return m;
    }
}

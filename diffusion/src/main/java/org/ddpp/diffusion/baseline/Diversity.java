package org.ddpp.diffusion.baseline;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Diversity of a set of samples: the share of distinct sequences and the mean pairwise Hamming distance. Reward
 * maximisation can collapse onto a few high-reward sequences; these two numbers show it next to the reward.
 */
public final class Diversity {

    private Diversity() {}

    /** Distinct sequences divided by the number of samples (1 = all different). */
    public static double distinctFraction(int[][] samples) {
        if (samples.length == 0) {
            return 0.0;
        }
        Set<List<Integer>> seen = new HashSet<>();
        for (int[] s : samples) {
            seen.add(Arrays.stream(s).boxed().toList());
        }
        return seen.size() / (double) samples.length;
    }

    /**
     * Mean Hamming distance over all pairs of the first {@code limit} samples (a subsample keeps it quadratic in
     * {@code limit}, not in the sample count); 0 with fewer than two samples.
     */
    public static double meanPairwiseHamming(int[][] samples, int limit) {
        int n = Math.min(limit, samples.length);
        if (n < 2) {
            return 0.0;
        }
        long total = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                int[] x = samples[a];
                int[] y = samples[b];
                for (int j = 0; j < x.length; j++) {
                    if (x[j] != y[j]) {
                        total++;
                    }
                }
            }
        }
        return total / (n * (n - 1) / 2.0);
    }
}

package org.ddpp.ops.dashboard;

import java.time.Instant;

/**
 * One evaluation of the policy on a square grid task, shown next to the target as two heat maps: both tables
 * hold {@code side × side} probabilities indexed {@code a·side + b}. The demo computes them exactly for every
 * new policy version; the dashboard only draws them. Also carries the exact total-variation distance.
 *
 * @param side          side of the grid (128 for the grid task)
 * @param policy        the policy's probabilities, copied to float (ample for a picture)
 * @param target        the target's probabilities
 * @param policyVersion the version evaluated, or −1 when unknown
 * @param at            when the picture was set
 * @param tv            {@code ½ Σ |policy − target|}, from the double tables
 */
public record GridPicture(int side, float[] policy, float[] target, long policyVersion, Instant at, double tv) {

    /** Validates and copies two tables; they must have the same square length and finite, non-negative entries. */
    public static GridPicture of(double[] policy, double[] target, long policyVersion) {
        if (policy == null || target == null) {
            throw new IllegalArgumentException("policy and target tables are required");
        }
        if (policy.length != target.length) {
            throw new IllegalArgumentException("policy has " + policy.length + " cells but target has " + target.length);
        }
        int side = (int) Math.round(Math.sqrt(policy.length));
        if (side == 0 || side * side != policy.length) {
            throw new IllegalArgumentException("a grid picture needs side² cells, got " + policy.length);
        }
        float[] p = new float[policy.length];
        float[] q = new float[target.length];
        double tv = 0;
        for (int i = 0; i < policy.length; i++) {
            check(policy[i], "policy", i);
            check(target[i], "target", i);
            p[i] = (float) policy[i];
            q[i] = (float) target[i];
            tv += Math.abs(policy[i] - target[i]);
        }
        return new GridPicture(side, p, q, policyVersion, Instant.now(), tv / 2);
    }

    private static void check(double v, String table, int i) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(table + "[" + i + "] = " + v + " is not a probability");
        }
    }
}

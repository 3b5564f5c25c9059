package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskScheduleTest {

    private final MaskSchedule schedule = new MaskSchedule();

    @Test
    void logLinearScheduleMatchesMdlm() {
        assertEquals(1.0, schedule.alpha(0.0), 1e-12);
        assertEquals(1e-3, schedule.alpha(1.0), 1e-12);
        assertEquals(0.999 * 0.3, schedule.maskProbability(0.3), 1e-12);
        assertEquals(1.0 / 0.25, schedule.elboWeight(0.25), 1e-9);
    }

    @Test
    void timesAreAntitheticAndInRange() {
        double[] t = schedule.sampleTimes(100, new SplittableRandom(3));
        double mean = 0;
        for (double v : t) {
            assertTrue(v >= schedule.eps() && v <= 1.0, "t out of range: " + v);
            mean += v / t.length;
        }
        // evenly shifted u: the mean is within 1/n of the middle of [eps, 1]
        assertEquals((1 + schedule.eps()) / 2, mean, 0.011);
    }

    @Test
    void masksAtTheScheduledRateAndNeverFixedPositions() {
        int n = 20_000;
        int[][] x0 = new int[n][];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x0[i] = new int[] {1, 2, 3};
            t[i] = 0.6;
        }
        boolean[] maskable = {true, false, true};
        int[][] xt = schedule.mask(x0, t, maskable, 9, new SplittableRandom(5));
        int masked = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(2, xt[i][1], "a fixed position was masked");
            assertTrue(xt[i][0] == 9 || xt[i][0] == 1);
            masked += (xt[i][0] == 9 ? 1 : 0) + (xt[i][2] == 9 ? 1 : 0);
            assertEquals(1, x0[i][0], "input was modified");
        }
        double rate = masked / (2.0 * n);
        // binomial sd = sqrt(p(1-p)/2n) ≈ 0.0024; allow 5 sd
        assertEquals(schedule.maskProbability(0.6), rate, 0.012);
    }
}

package org.ddpp.tasks.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddpp.diffusion.task.Tasks;
import org.junit.jupiter.api.Test;

/**
 * The MNIST task on the real data (fetched once into the default cache): split sizes, the test split's class
 * counts, the binarisation rule, the token layout and its rendering.
 */
class MnistTaskTest {

    /** Class counts of the original 10 000-digit test split. */
    private static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @Test
    void loadsBothSplitsAtFourteenAndTwentyEight() {
        MnistData d14 = new MnistTask(14).data();
        assertEquals(60_000, d14.train().size());
        assertEquals(10_000, d14.test().size());
        assertArrayEquals(TEST_COUNTS, d14.test().classCounts());
        assertEquals(196, d14.test().images()[0].length);
        MnistData d28 = new MnistTask(28).data();
        assertEquals(784, d28.train().images()[0].length);
        assertArrayEquals(d14.test().labels(), d28.test().labels());
        // binarised digits are mostly background with a stroke of ink: 10–25 % ink on average
        double ink14 = inkShare(d14.test());
        double ink28 = inkShare(d28.test());
        assertTrue(ink14 > 0.08 && ink14 < 0.3, "ink share at 14x14 " + ink14);
        assertTrue(ink28 > 0.08 && ink28 < 0.3, "ink share at 28x28 " + ink28);
    }

    private static double inkShare(MnistData.Split split) {
        long ink = 0;
        long all = 0;
        for (byte[] img : split.images()) {
            for (byte b : img) {
                ink += b;
                all++;
            }
        }
        return (double) ink / all;
    }

    @Test
    void binarisationIsAThresholdOnTheBlockMean() {
        byte[] grey = new byte[784];
        // top-left 2x2 block: mean 127.5/255 = 0.5 -> ink; next block mean just below 0.5 -> background
        grey[0] = (byte) 255;
        grey[1] = (byte) 255;
        grey[2] = (byte) 255;
        grey[3] = (byte) 254;
        grey[28 * 27 + 27] = (byte) 128; // bottom-right pixel: 128/255 >= 0.5 at 28x28, block mean 32 at 14x14
        byte[] b14 = MnistData.binarize(grey, 14);
        assertEquals(1, b14[0]);
        assertEquals(0, b14[1]);
        assertEquals(0, b14[195]);
        byte[] b28 = MnistData.binarize(grey, 28);
        assertEquals(1, b28[783]);
        assertEquals(1, b28[3]);
        assertEquals(0, b28[4]);
    }

    @Test
    void tokensAreBinaryPixelsWithMaskTwoAndRenderAsAsciiRows() {
        MnistTask task = new MnistTask(14);
        assertEquals("mnist", task.name());
        assertEquals("mnist28", new MnistTask().name());
        assertEquals(2, task.vocabSize());
        assertEquals(2, task.maskId());
        assertEquals(196, task.length());
        for (boolean b : task.maskable()) {
            assertTrue(b);
        }
        int[][] xs = task.samplePrior(3, new SplittableRandom(1));
        for (int[] x : xs) {
            assertNull(task.validate(x));
        }
        int[] x = xs[0].clone();
        x[5] = task.maskId();
        assertNotNull(task.validate(x));
        String[] rows = task.render(x).split("\n");
        assertEquals(14, rows.length);
        assertEquals('?', rows[0].charAt(5));
        for (String row : rows) {
            assertTrue(row.matches("[#.?]{14}"), row);
        }
        assertTrue(Tasks.names().contains("mnist") && Tasks.names().contains("mnist28"));
        assertEquals(784, Tasks.byName("mnist28").length());
        assertThrows(IllegalArgumentException.class, () -> new MnistTask(10));
    }
}

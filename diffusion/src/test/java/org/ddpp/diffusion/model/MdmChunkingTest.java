package org.ddpp.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddpp.diffusion.task.Task;
import org.junit.jupiter.api.Test;

/** A batch larger than one forward pass is evaluated in row chunks with the same probabilities as row by row. */
class MdmChunkingTest {

    /** Sequences of 256 tokens, so that 1 100 rows span three chunks of 512. */
    private static final Task LONG = new Task() {
        @Override
        public String name() {
            return "long";
        }

        @Override
        public int vocabSize() {
            return 3;
        }

        @Override
        public int length() {
            return 256;
        }

        @Override
        public boolean[] maskable() {
            boolean[] all = new boolean[length()];
            Arrays.fill(all, true);
            return all;
        }

        @Override
        public String render(int[] tokens) {
            return Arrays.toString(tokens);
        }

        @Override
        public int[][] samplePrior(int n, SplittableRandom rng) {
            int[][] out = new int[n][length()];
            for (int[] row : out) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = rng.nextInt(vocabSize() + 1);
                }
            }
            return out;
        }
    };

    @Test
    void chunkedProbabilitiesEqualRowByRow() {
        int rows = 1100;
        assertEquals(3, (rows + Mdm.TOKENS_PER_FORWARD / LONG.length() - 1) / (Mdm.TOKENS_PER_FORWARD / LONG.length()));
        try (NDManager root = NDManager.newBaseManager(); Mdm model = Mdm.create(LONG, NetworkShape.of(16, 1, 2), 3, root)) {
            int[][] xt = LONG.samplePrior(rows, new SplittableRandom(1));
            float[][][] all = model.probabilities(xt);
            for (int r : new int[] {0, 511, 512, 1023, 1024, 1099}) {
                float[][] alone = model.probabilities(new int[][] {xt[r]})[0];
                for (int j = 0; j < LONG.length(); j += 51) {
                    assertArrayEquals(alone[j], all[r][j], 1e-5f, "row " + r + " position " + j);
                }
            }
        }
    }
}

package org.ddpp.diffusion.baseline;

import java.util.SplittableRandom;
import org.ddpp.diffusion.TinyTask;
import org.ddpp.diffusion.task.Task;

/** The tiny task behind a never-masked prompt token: checks that samplers keep non-maskable positions. */
final class PromptedTask implements Task {

    private final TinyTask tiny = new TinyTask();

    @Override
    public String name() {
        return "tiny-prompted";
    }

    @Override
    public int vocabSize() {
        return 5;
    }

    @Override
    public int length() {
        return 3;
    }

    @Override
    public boolean[] maskable() {
        return new boolean[] {false, true, true};
    }

    @Override
    public String render(int[] tokens) {
        return tokens[0] + "|" + tokens[1] + "," + tokens[2];
    }

    @Override
    public int[][] samplePrior(int n, SplittableRandom rng) {
        int[][] body = tiny.samplePrior(n, rng);
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new int[] {rng.nextInt(5), body[i][0], body[i][1]};
        }
        return out;
    }
}

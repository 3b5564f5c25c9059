package org.ddpp.tasks.protein;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * The external {@code garnier-sheet} scorer's reward in process: {@code log R = log(max(f, 0.01))}, f = share of
 * residues EMBOSS garnier predicts sheet (E), exactly the rule of {@code scorers/external/python/scorer.py}. The
 * Python service is what the streaming system runs; this form lets benchmarks and the demo's evaluation compute
 * the same reward without Kafka. Sequences must be valid proteins of {@code task}.
 */
public final class GarnierSheetReward implements RewardFunction {

    /** The external scorer's name, as it writes it into {@code Score.scorer}. */
    public static final String NAME = "garnier-sheet";

    /** The external scorer's default floor on the sheet fraction ({@code --floor}). */
    public static final double FLOOR = 0.01;

    private final ProteinTask task;
    private final GarnierPredictor garnier;

    public GarnierSheetReward(ProteinTask task, GarnierPredictor garnier) {
        this.task = task;
        this.garnier = garnier;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] logReward(int[][] sequences) {
        List<String> proteins = new ArrayList<>(sequences.length);
        for (int[] s : sequences) {
            proteins.add(task.render(s));
        }
        try {
            List<GarnierPredictor.Structure> predicted = garnier.predict(proteins);
            double[] out = new double[sequences.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.log(Math.max(predicted.get(i).sheet(), FLOOR));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}

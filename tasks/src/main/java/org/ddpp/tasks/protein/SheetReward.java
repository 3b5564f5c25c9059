package org.ddpp.tasks.protein;

import java.util.Arrays;
import org.ddpp.diffusion.reward.RewardFunction;

/**
 * The protein β-sheet reward as a function of token sequences: {@code log R(x) = w · log(f(x) + ε)}, where f is the
 * {@link SheetPropensity} sheet fraction of the residues before the first PAD, ε = {@value #EPSILON} (so log R
 * lies in [w·log 0.01, w·log 1.01]) and w the tempering weight (default 1). Callers pass valid protein sequences
 * (the scorer checks them first); a sequence without residues is an {@link IllegalArgumentException}.
 */
public final class SheetReward implements RewardFunction {

    public static final double EPSILON = 0.01;

    private final double weight;

    /** Untempered: w = 1. */
    public SheetReward() {
        this(1.0);
    }

    public SheetReward(double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and positive, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public String name() {
        return "protein-sheet";
    }

    /** The sheet fraction of one token sequence (residues up to the first PAD). */
    public static double sheetFraction(int[] tokens) {
        int end = 0;
        while (end < tokens.length && tokens[end] != ProteinTask.PAD) {
            end++;
        }
        return SheetPropensity.sheetFraction(Arrays.copyOf(tokens, end));
    }

    @Override
    public double[] logReward(int[][] sequences) {
        double[] out = new double[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            out[i] = weight * Math.log(sheetFraction(sequences[i]) + EPSILON);
        }
        return out;
    }
}

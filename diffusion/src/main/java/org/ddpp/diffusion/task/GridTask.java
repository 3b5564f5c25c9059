package org.ddpp.diffusion.task;

import java.util.SplittableRandom;

/**
 * The paper's 2-D grid: a sequence is a point {@code (x¹, x²) ∈ {0..127}²} (two tokens, vocabulary 128 plus
 * MASK). The prior is uniform over 16 evenly spaced 16×16 squares laid out 4×4: along each axis the squares
 * cover {@code [8,24), [40,56), [72,88), [104,120)} (period 32, offset 8), so 1/4 of the plane, 256·16 points
 * of equal mass. Because L = 2 every distribution in this task is a 128×128 table and can be compared exactly.
 */
public final class GridTask implements Task {

    public static final int SIZE = 128;
    public static final int SQUARES_PER_AXIS = 4;
    public static final int SQUARE_SIDE = 16;
    public static final int PERIOD = SIZE / SQUARES_PER_AXIS;
    public static final int OFFSET = (PERIOD - SQUARE_SIDE) / 2;

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public int vocabSize() {
        return SIZE;
    }

    @Override
    public int length() {
        return 2;
    }

    @Override
    public boolean[] maskable() {
        return new boolean[] {true, true};
    }

    @Override
    public String render(int[] tokens) {
        return "(" + show(tokens[0]) + ", " + show(tokens[1]) + ")";
    }

    private String show(int token) {
        return token == maskId() ? "?" : Integer.toString(token);
    }

    /** True when coordinate value {@code v} lies inside one of the squares' extents on its axis. */
    public static boolean inSquareBand(int v) {
        int r = v % PERIOD;
        return r >= OFFSET && r < OFFSET + SQUARE_SIDE;
    }

    @Override
    public int[][] samplePrior(int n, SplittableRandom rng) {
        int[][] out = new int[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 2; j++) {
                out[i][j] = rng.nextInt(SQUARES_PER_AXIS) * PERIOD + OFFSET + rng.nextInt(SQUARE_SIDE);
            }
        }
        return out;
    }

    /** The exact prior as a table {@code p[x¹·128 + x²]}. */
    public double[] priorTable() {
        double[] p = new double[SIZE * SIZE];
        double mass = 1.0 / (SQUARES_PER_AXIS * SQUARES_PER_AXIS * SQUARE_SIDE * SQUARE_SIDE);
        for (int a = 0; a < SIZE; a++) {
            for (int b = 0; b < SIZE; b++) {
                p[a * SIZE + b] = inSquareBand(a) && inSquareBand(b) ? mass : 0.0;
            }
        }
        return p;
    }
}

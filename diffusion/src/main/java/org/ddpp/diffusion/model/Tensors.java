package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Conversions between Java token arrays and NDArrays. */
public final class Tensors {

    private Tensors() {}

    /** Tokens {@code (B, L)} as an int64 array. */
    public static NDArray tokens(NDManager manager, int[][] rows) {
        int b = rows.length;
        int l = b == 0 ? 0 : rows[0].length;
        long[] flat = new long[b * l];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < l; j++) {
                flat[i * l + j] = rows[i][j];
            }
        }
        return manager.create(flat, new Shape(b, l));
    }

    /** A float32 {@code (B, L)} indicator of positions equal to {@code maskId}. */
    public static NDArray maskIndicator(NDManager manager, int[][] rows, int maskId) {
        int b = rows.length;
        int l = b == 0 ? 0 : rows[0].length;
        float[] flat = new float[b * l];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < l; j++) {
                flat[i * l + j] = rows[i][j] == maskId ? 1f : 0f;
            }
        }
        return manager.create(flat, new Shape(b, l));
    }

    /** Doubles as a float32 vector. */
    public static NDArray floats(NDManager manager, double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f);
    }

    /** Doubles as a float64 vector. */
    public static NDArray doubles(NDManager manager, double[] values) {
        return manager.create(values);
    }
}

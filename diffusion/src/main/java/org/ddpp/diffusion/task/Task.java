package org.ddpp.diffusion.task;

import java.util.SplittableRandom;

/**
 * A generative task: what the tokens are, how long a sequence is, which positions are never masked, how a
 * sequence is shown to a person, and where prior (pre-training) data comes from. Everything else in the library
 * is written against this interface, so a new domain is a new {@code Task}.
 */
public interface Task {

    /** Short stable name used on the command line, in manifests and in records ({@code grid}, ...). */
    String name();

    /** Number of real tokens {@code V}; token ids are {@code 0..V-1}. */
    int vocabSize();

    /** The MASK token id, always {@code V}. */
    default int maskId() {
        return vocabSize();
    }

    /** Sequence length {@code L}. */
    int length();

    /** Which positions may be masked; {@code false} marks prompt, BOS/EOS or padding positions. */
    boolean[] maskable();

    /** A {@link #maskable()} answer for tasks whose every position may be masked. */
    static boolean[] everyPosition(int length) {
        boolean[] all = new boolean[length];
        java.util.Arrays.fill(all, true);
        return all;
    }

    /** A human-readable rendering of one sequence. */
    String render(int[] tokens);

    /** Draws {@code n} sequences from the prior data distribution. */
    int[][] samplePrior(int n, SplittableRandom rng);

    /** Checks that every token is a real token of this task; returns a reason, or null when valid. */
    default String validate(int[] tokens) {
        if (tokens.length != length()) {
            return "expected " + length() + " tokens, got " + tokens.length;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize()) {
                return "token " + tokens[i] + " at position " + i + " is outside the vocabulary [0, " + vocabSize() + ")";
            }
        }
        return null;
    }
}

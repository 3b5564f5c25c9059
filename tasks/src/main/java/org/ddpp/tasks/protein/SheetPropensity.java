package org.ddpp.tasks.protein;


/**
 * Chou–Fasman β-sheet propensities and the sliding-window rule that turns them into a predicted sheet fraction.
 *
 * <p>Table: AAindex entry CHOP780202, "Normalized frequency of beta-sheet" (Chou, P.Y. and Fasman, G.D., Adv.
 * Enzymol. 47, 45–148, 1978), values for A R N D C Q E G H I L K M F P S T W Y V: 0.83 0.93 0.89 0.54 1.19 1.10
 * 0.37 0.75 0.87 1.60 1.30 0.74 1.05 1.38 0.55 0.75 1.19 1.37 1.47 1.70.
 *
 * <p>Rule (a simplified Chou–Fasman sheet assignment): a residue is predicted sheet when at least one window of
 * {@value #WINDOW} consecutive residues that contains it has a mean propensity ≥ {@value #THRESHOLD} (Chou–Fasman's
 * sheet threshold ⟨Pβ⟩ &gt; 1.05). A protein shorter than the window is one window. The sheet fraction is the number
 * of sheet residues over the number of residues (PAD excluded). Helix propensities are not compared, unlike the
 * full Chou–Fasman method.
 */
public final class SheetPropensity {

    public static final int WINDOW = 5;
    public static final double THRESHOLD = 1.05;

    /** CHOP780202 indexed by {@link ProteinTask}'s token id (order {@value ProteinTask#AMINO_ACIDS}). */
    private static final double[] BY_TOKEN = byToken("ARNDCQEGHILKMFPSTWYV", new double[] {
            0.83, 0.93, 0.89, 0.54, 1.19, 1.10, 0.37, 0.75, 0.87, 1.60,
            1.30, 0.74, 1.05, 1.38, 0.55, 0.75, 1.19, 1.37, 1.47, 1.70});

    private SheetPropensity() {}

    private static double[] byToken(String aaindexOrder, double[] values) {
        double[] out = new double[ProteinTask.AMINO_ACIDS.length()];
        for (int i = 0; i < values.length; i++) {
            out[ProteinTask.AMINO_ACIDS.indexOf(aaindexOrder.charAt(i))] = values[i];
        }
        return out;
    }

    /** The β-sheet propensity of residue token {@code token} (0..19). */
    public static double of(int token) {
        return BY_TOKEN[token];
    }

    /** Predicted sheet fraction of {@code residues} (token ids 0..19, no PAD), in [0, 1]. */
    public static double sheetFraction(int[] residues) {
        int n = residues.length;
        if (n == 0) {
            throw new IllegalArgumentException("a protein needs at least one residue");
        }
        int w = Math.min(WINDOW, n);
        boolean[] sheet = new boolean[n];
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += of(residues[i]);
            if (i >= w) {
                sum -= of(residues[i - w]);
            }
            if (i >= w - 1 && sum / w >= THRESHOLD - 1e-12) {
                for (int j = i - w + 1; j <= i; j++) {
                    sheet[j] = true;
                }
            }
        }
        int count = 0;
        for (boolean s : sheet) {
            count += s ? 1 : 0;
        }
        return (double) count / n;
    }
}

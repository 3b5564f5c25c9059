package org.ddpp.tasks.protein;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.ddpp.diffusion.task.Task;

/**
 * Protein sequences of fixed length {@value #LENGTH}, the β-sheet task. Tokenizer: one token per residue,
 * ids 0..19 for the 20 standard amino acids in the order {@value #AMINO_ACIDS} (one-letter codes, alphabetical by
 * code), id 20 = PAD; MASK is 21. A protein shorter than {@value #LENGTH} is its residues followed by PAD up to the
 * fixed length; PAD before a residue makes a sequence invalid. {@code render} writes the one-letter string with
 * trailing PAD dropped (an inner PAD shows as {@code -}, MASK as {@code ?}), so a valid sequence renders as plain
 * letters that external predictors can read. Every position is maskable: {@link Task#maskable()} is per position,
 * so padding is learned (the model generates where a protein ends) rather than excluded from masking.
 * <p>Prior data, registered task: <b>fixed-length windows</b> — a uniformly drawn window of exactly
 * {@value #LENGTH} residues of a uniformly drawn {@link ProteinData} sequence at least that long (19 038 of
 * mmseqs2-examples' 20 000 UniProt sequences), so the data hold no PAD and a trained model has no reason to put
 * PAD between residues (with whole proteins of ≤ 64 residues padded at the end, 759 sequences, a small model put
 * PAD inside about a third of its samples, and those are invalid). The whole-protein mode stays available through
 * {@link #ProteinTask(Path, int)}. Data are loaded on first use (a missing file fails then, with one line saying to
 * install {@code mmseqs2-examples}), so the task resolves by name for scorers and checkpoints on hosts without them.
 */
public final class ProteinTask implements Task {

    /** The 20 standard amino acids; a residue's token id is its index here. */
    public static final String AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY";
    public static final int PAD = AMINO_ACIDS.length();
    public static final int LENGTH = 64;

    private static final Map<String, ProteinData> LOADED = new ConcurrentHashMap<>();

    private final Path fasta;
    private final int length;
    private final boolean windows;

    /** The registered task: {@value #LENGTH}-residue windows of the sequences at {@link ProteinData#configuredPath()}. */
    public ProteinTask() {
        this(ProteinData.configuredPath(), LENGTH, true);
    }

    /** Whole proteins of at most {@code length} residues from {@code fasta}, padded with PAD at the end. */
    public ProteinTask(Path fasta, int length) {
        this(fasta, length, false);
    }

    /**
     * @param windows true: prior samples are {@code length}-residue windows of sequences at least that long;
     *     false: whole proteins of at most {@code length} residues, padded
     */
    public ProteinTask(Path fasta, int length, boolean windows) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, got " + length);
        }
        this.fasta = fasta;
        this.length = length;
        this.windows = windows;
    }

    @Override
    public String name() {
        return "protein";
    }

    @Override
    public int vocabSize() {
        return AMINO_ACIDS.length() + 1;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public boolean[] maskable() {
        return Task.everyPosition(length);
    }

    @Override
    public String render(int[] tokens) {
        int end = tokens.length;
        while (end > 0 && tokens[end - 1] == PAD) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            int t = tokens[i];
            out.append(t >= 0 && t < PAD ? AMINO_ACIDS.charAt(t) : t == PAD ? '-' : '?');
        }
        return out.toString();
    }

    /** Tokens of a one-letter protein string, padded with PAD to the task's length. */
    public int[] encode(String protein) {
        if (protein.length() > length) {
            throw new IllegalArgumentException("protein of length " + protein.length() + " is longer than " + length);
        }
        int[] tokens = new int[length];
        java.util.Arrays.fill(tokens, PAD);
        for (int i = 0; i < protein.length(); i++) {
            int id = AMINO_ACIDS.indexOf(Character.toUpperCase(protein.charAt(i)));
            if (id < 0) {
                throw new IllegalArgumentException("'" + protein.charAt(i) + "' at position " + i + " is not a standard amino acid");
            }
            tokens[i] = id;
        }
        return tokens;
    }

    /** The prior data, read once per file and process. */
    public ProteinData data() {
        return LOADED.computeIfAbsent(fasta.toAbsolutePath() + (windows ? "#windows-" : "#whole-") + length,
                key -> windows ? ProteinData.load(fasta, length, Integer.MAX_VALUE) : ProteinData.load(fasta, length));
    }

    @Override
    public int[][] samplePrior(int n, SplittableRandom rng) {
        ProteinData data = data();
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            String protein = data.sequences().get(rng.nextInt(data.sequences().size()));
            if (windows) {
                int start = rng.nextInt(protein.length() - length + 1);
                protein = protein.substring(start, start + length);
            }
            out[i] = encode(protein);
        }
        return out;
    }

    /** The vocabulary check, plus: at least one residue, and PAD only after the last residue. */
    @Override
    public String validate(int[] tokens) {
        String reason = Task.super.validate(tokens);
        if (reason != null) {
            return reason;
        }
        if (tokens[0] == PAD) {
            return "no residues: the sequence starts with PAD";
        }
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i - 1] == PAD && tokens[i] != PAD) {
                return "PAD at position " + (i - 1) + " comes before a residue";
            }
        }
        return null;
    }
}

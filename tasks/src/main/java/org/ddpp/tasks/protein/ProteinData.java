package org.ddpp.tasks.protein;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protein task's prior data: sequences read from a FASTA file (plain or gzip, told apart by its magic bytes),
 * kept when they are at most {@code maxLength} residues long and made only of the 20 standard amino acids.
 * By default the file is Debian's {@code mmseqs2-examples} ({@value #DEFAULT_PATH}, 20 000 UniProt sequences, 759
 * of them pass the filter at length 64); {@code DDPP_PROTEIN_FASTA} or {@code -Dddpp.protein.fasta} choose another.
 * Nothing is copied or cached on disk: the file is read where it lies.
 *
 * @param source    the file read
 * @param sequences the kept sequences, upper-case one-letter strings, in file order
 * @param read      how many sequences the file held
 */
public record ProteinData(Path source, List<String> sequences, int read) {

    private static final Logger LOG = LoggerFactory.getLogger(ProteinData.class);

    /** Where Debian's {@code mmseqs2-examples} puts its example database. */
    public static final String DEFAULT_PATH = "/usr/share/doc/mmseqs2/example-data/DB.fasta.gz";

    public ProteinData {
        sequences = List.copyOf(sequences);
    }

    /** The configured FASTA path: {@code -Dddpp.protein.fasta}, else {@code DDPP_PROTEIN_FASTA}, else {@link #DEFAULT_PATH}. */
    public static Path configuredPath() {
        String path = System.getProperty("ddpp.protein.fasta");
        if (path == null || path.isBlank()) {
            path = System.getenv("DDPP_PROTEIN_FASTA");
        }
        return Path.of(path == null || path.isBlank() ? DEFAULT_PATH : path);
    }

    /**
     * Reads {@code fasta} and keeps sequences of 1..{@code maxLength} standard residues. A missing file, a file
     * that is not FASTA, or one where no sequence passes, is an {@link IllegalArgumentException} with one line
     * that says what to do.
     */
    public static ProteinData load(Path fasta, int maxLength) {
        return load(fasta, 1, maxLength);
    }

    /**
     * Reads {@code fasta} and keeps sequences of {@code minLength}..{@code maxLength} standard residues (the
     * protein task's fixed-length windows need sequences at least as long as the window).
     */
    public static ProteinData load(Path fasta, int minLength, int maxLength) {
        if (!Files.isRegularFile(fasta)) {
            throw missing(fasta);
        }
        List<String> kept = new ArrayList<>();
        int read = 0;
        try (BufferedReader in = reader(fasta)) {
            StringBuilder current = null;
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.charAt(0) == '>') {
                    if (current != null) {
                        read++;
                        keep(current, minLength, maxLength, kept);
                    }
                    current = new StringBuilder();
                } else if (current == null) {
                    throw new IllegalArgumentException(fasta + " is not FASTA: line " + lineNo + " comes before any '>' header");
                } else {
                    current.append(line);
                }
            }
            if (current != null) {
                read++;
                keep(current, minLength, maxLength, kept);
            }
        } catch (NoSuchFileException e) {
            throw missing(fasta);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read protein FASTA " + fasta + ": " + e.getMessage(), e);
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(fasta + " holds " + read + " sequences but none of length "
                    + (minLength > 1 ? ">= " + minLength : "<= " + maxLength) + " made only of the 20 standard amino acids");
        }
        LOG.info("protein data: kept {} of {} sequences from {} (length {}..{}, standard residues only)", kept.size(), read, fasta,
                minLength, maxLength);
        return new ProteinData(fasta, kept, read);
    }

    private static IllegalArgumentException missing(Path fasta) {
        return new IllegalArgumentException("protein data " + fasta + " not found: apt-get install mmseqs2-examples"
                + " (or set DDPP_PROTEIN_FASTA to a FASTA file)");
    }

    private static void keep(StringBuilder sequence, int minLength, int maxLength, List<String> kept) {
        String s = sequence.toString().toUpperCase(Locale.ROOT);
        if (s.isEmpty() || s.length() < minLength || s.length() > maxLength) {
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ProteinTask.AMINO_ACIDS.indexOf(s.charAt(i)) < 0) {
                return;
            }
        }
        kept.add(s);
    }

    private static BufferedReader reader(Path fasta) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(fasta));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    }
}

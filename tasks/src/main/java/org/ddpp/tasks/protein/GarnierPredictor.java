package org.ddpp.tasks.protein;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs EMBOSS {@code garnier} (the GOR secondary-structure predictor, Debian package {@code emboss}) on a batch of
 * proteins from Java, for evaluation: benchmarks report the predicted sheet fraction of every method's samples
 * with the same predictor the external {@code garnier-sheet} scorer uses, independent of the Chou–Fasman rule the
 * built-in scorer rewards.
 */
public final class GarnierPredictor {

    /** Fractions of residues predicted helix (H), sheet (E), turn (T) and coil (C). */
    public record Structure(double helix, double sheet, double turn, double coil) {}

    private static final Pattern SECTION = Pattern.compile("^# Sequence: (\\S+)\\s+from: (\\d+)\\s+to: (\\d+)", Pattern.MULTILINE);
    private static final Pattern TOTALS = Pattern.compile("Residue totals: H:\\s*(\\d+)\\s+E:\\s*(\\d+)\\s+T:\\s*(\\d+)\\s+C:\\s*(\\d+)");

    private final String executable;

    /** {@code garnier} from the PATH. */
    public GarnierPredictor() {
        this("garnier");
    }

    public GarnierPredictor(String executable) {
        this.executable = executable;
    }

    /** True when the executable runs here (EMBOSS installed). */
    public boolean available() {
        try {
            Process p = new ProcessBuilder(executable, "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Predicts every protein (one-letter strings, non-empty); fails with one line when garnier cannot run. */
    public List<Structure> predict(List<String> proteins) throws IOException {
        if (proteins.isEmpty()) {
            return List.of();
        }
        Path dir = Files.createTempDirectory("ddpp-garnier-");
        try {
            Path fasta = dir.resolve("in.fasta");
            Path report = dir.resolve("out.garnier");
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < proteins.size(); i++) {
                s.append(">p").append(i).append('\n').append(proteins.get(i)).append('\n');
            }
            Files.writeString(fasta, s, StandardCharsets.US_ASCII);
            Process p;
            try {
                p = new ProcessBuilder(executable, "-sequence", fasta.toString(), "-outfile", report.toString(), "-auto")
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException(executable + " cannot be run (install Debian's emboss): " + e.getMessage());
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(executable + " failed: " + log.strip().replace('\n', ' '));
            }
            return parse(Files.readString(report, StandardCharsets.ISO_8859_1), proteins.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + executable);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static List<Structure> parse(String text, int count) throws IOException {
        Map<String, Structure> byName = new HashMap<>();
        Matcher section = SECTION.matcher(text);
        boolean found = section.find();
        while (found) {
            String name = section.group(1);
            double length = Integer.parseInt(section.group(3)) - Integer.parseInt(section.group(2)) + 1;
            int bodyStart = section.end();
            found = section.find();
            int bodyEnd = found ? section.start() : text.length();
            Matcher totals = TOTALS.matcher(text).region(bodyStart, bodyEnd);
            if (totals.find()) {
                byName.put(name, new Structure(Integer.parseInt(totals.group(1)) / length,
                        Integer.parseInt(totals.group(2)) / length, Integer.parseInt(totals.group(3)) / length,
                        Integer.parseInt(totals.group(4)) / length));
            }
        }
        List<Structure> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Structure s = byName.get("p" + i);
            if (s == null) {
                throw new IOException("garnier reported nothing for protein " + i + " of " + count);
            }
            out.add(s);
        }
        return out;
    }
}

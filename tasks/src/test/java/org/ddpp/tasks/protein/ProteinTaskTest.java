package org.ddpp.tasks.protein;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProteinTaskTest {

    private static final String FASTA = """
            >sp|ONE short helix
            AEELLKK
            AEELLKK
            >sp|TWO too long for length 16
            MKTAYIAKQRQISFVKSHFSRQ
            >sp|THREE has a non-standard residue
            MKXAYB
            >sp|FOUR sheet
            vivivtvy

            >sp|FIVE
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    @Test
    void loaderKeepsShortStandardSequencesFromPlainAndGzipFasta() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            ProteinData data = ProteinData.load(write("db" + gzip + ".fasta", FASTA, gzip), 16);
            assertEquals(List.of("AEELLKKAEELLKK", "VIVIVTVY"), data.sequences());
            assertEquals(5, data.read());
        }
    }

    @Test
    void badInputFailsWithOneClearLine() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ProteinData.load(dir.resolve("nope.fasta.gz"), 64));
        assertTrue(missing.getMessage().contains("apt-get install mmseqs2-examples"), missing.getMessage());
        assertEquals(1, missing.getMessage().lines().count());
        IllegalArgumentException notFasta = assertThrows(IllegalArgumentException.class,
                () -> ProteinData.load(write("x.txt", "hello\n>a\nAAA\n", false), 64));
        assertTrue(notFasta.getMessage().contains("not FASTA: line 1"), notFasta.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ProteinData.load(write("y.fasta", ">a\nMKXB\n", false), 64));
        assertTrue(none.getMessage().contains("none of length <= 64"), none.getMessage());
        // the task resolves without data; only drawing prior samples needs the file
        ProteinTask task = new ProteinTask(dir.resolve("absent.fasta"), 8);
        assertEquals("protein", task.name());
        IllegalArgumentException lazy = assertThrows(IllegalArgumentException.class, () -> task.samplePrior(1, new SplittableRandom(1)));
        assertTrue(lazy.getMessage().contains("mmseqs2-examples"), lazy.getMessage());
    }

    @Test
    void tokenizerRenderAndValidation() {
        ProteinTask task = new ProteinTask(dir.resolve("unused"), 10);
        assertEquals(21, task.vocabSize());
        assertEquals(21, task.maskId());
        assertEquals(10, task.maskable().length);
        int[] tokens = task.encode("ACWY");
        assertArrayEquals(new int[] {0, 1, 18, 19, 20, 20, 20, 20, 20, 20}, tokens);
        assertEquals("ACWY", task.render(tokens));
        assertNull(task.validate(tokens));
        assertEquals("A-C?", task.render(new int[] {0, 20, 1, 21, 20, 20, 20, 20, 20, 20}));
        assertTrue(task.validate(new int[] {0, 20, 1, 20, 20, 20, 20, 20, 20, 20}).contains("PAD at position 1"));
        assertTrue(task.validate(new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20}).contains("no residues"));
        assertTrue(task.validate(new int[] {0, 21, 1, 20, 20, 20, 20, 20, 20, 20}).contains("outside the vocabulary"));
        assertTrue(task.validate(new int[] {0}).contains("expected 10 tokens"));
        assertThrows(IllegalArgumentException.class, () -> task.encode("ACB"));
        assertThrows(IllegalArgumentException.class, () -> task.encode("ACDEFGHIKLM"));
    }

    @Test
    void priorSamplesAreThePaddedDataSequences() throws IOException {
        ProteinTask task = new ProteinTask(write("prior.fasta", FASTA, true), 16);
        int[][] samples = task.samplePrior(200, new SplittableRandom(7));
        Set<String> seen = new HashSet<>();
        for (int[] s : samples) {
            assertEquals(16, s.length);
            assertNull(task.validate(s));
            seen.add(task.render(s));
        }
        assertEquals(Set.of("AEELLKKAEELLKK", "VIVIVTVY"), seen);
    }

    @Test
    void windowPriorSamplesAreExactLengthWindowsOfLongEnoughSequencesWithoutPad() throws IOException {
        String long1 = "MKTAYIAKQRQISFVKSHFSRQ";
        ProteinTask task = new ProteinTask(write("windows.fasta", ">short\nAEELLKK\n>long\n" + long1 + "\n", false), 8, true);
        int[][] samples = task.samplePrior(400, new SplittableRandom(3));
        Set<String> seen = new HashSet<>();
        for (int[] s : samples) {
            assertEquals(8, s.length);
            assertNull(task.validate(s));
            String p = task.render(s);
            assertEquals(8, p.length(), "no PAD in a window: " + p);
            assertTrue(long1.contains(p), p + " is a window of the long sequence");
            seen.add(p);
        }
        assertEquals(long1.length() - 8 + 1, seen.size(), "every window start is drawn");
    }

    @Test
    void registeredByName() {
        Task task = Tasks.byName("protein");
        assertEquals(ProteinTask.LENGTH, task.length());
        assertTrue(Tasks.names().contains("protein"));
    }
}

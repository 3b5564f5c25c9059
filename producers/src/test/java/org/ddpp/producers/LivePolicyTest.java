package org.ddpp.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.ddpp.diffusion.checkpoint.PolicyWeights;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.task.GridTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swapping policy versions: verified weights of the run's architecture become the current model; a file with a
 * wrong hash never gets loaded, and a file of another architecture or a truncated one keeps the old version.
 */
class LivePolicyTest {

    private static final NetworkShape SHAPE = NetworkShape.of(16, 1, 2);
    private static final int[][] ALL_MASKED = {{GridTask.SIZE, GridTask.SIZE}};

    @TempDir Path dir;
    private NDManager root;
    private LivePolicy live;
    private float[] before;
    private PolicyFetcher fetcher;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        live = new LivePolicy(Mdm.create(new GridTask(), SHAPE, 1L, root), 0L, root);
        before = flat(live.model());
        fetcher = new PolicyFetcher(dir.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(5), true, PolicyFetcher.DEFAULT_MAX_BYTES);
    }

    @AfterEach
    void tearDown() {
        live.close();
        root.close();
    }

    @Test
    void verifiedWeightsOfTheSameArchitectureAreSwappedIn() throws Exception {
        float[] expected;
        Path file = dir.resolve("v1.params");
        String sha;
        try (Mdm next = Mdm.create(new GridTask(), SHAPE, 2L, root)) {
            sha = PolicyWeights.write(next, file);
            expected = flat(next);
        }
        assertFalse(Arrays.equals(before, expected));
        Mdm old = live.model();
        live.install(1, fetcher.fetch(file.toUri().toString(), sha, Files.size(file)));
        assertEquals(1, live.version());
        assertArrayEquals(expected, flat(live.model()));
        live.install(2, fetcher.fetch(file.toUri().toString(), sha, Files.size(file)));
        assertSame(old, live.model(), "the two models alternate; no model is created per version");
        assertEquals(2, live.version());
    }

    @Test
    void aWrongHashIsNeverLoaded() throws Exception {
        Path file = dir.resolve("v1.params");
        try (Mdm next = Mdm.create(new GridTask(), SHAPE, 2L, root)) {
            PolicyWeights.write(next, file);
        }
        String wrong = "0".repeat(64);
        assertThrows(PolicyFetchException.class, () -> live.install(1, fetcher.fetch(file.toUri().toString(), wrong, Files.size(file))));
        assertEquals(0, live.version());
        assertArrayEquals(before, flat(live.model()));
    }

    @Test
    void anotherArchitectureOrATruncatedFileKeepsTheOldVersion() throws Exception {
        Path other = dir.resolve("other.params");
        try (Mdm wide = Mdm.create(new GridTask(), NetworkShape.of(32, 1, 2), 3L, root)) {
            PolicyWeights.write(wide, other);
        }
        PolicyFetchException e = assertThrows(PolicyFetchException.class, () -> live.install(1, other));
        assertTrue(e.getMessage().contains("cannot load weights of version 1"), e.getMessage());
        assertEquals(0, live.version());
        assertArrayEquals(before, flat(live.model()));

        Path good = dir.resolve("good.params");
        try (Mdm next = Mdm.create(new GridTask(), SHAPE, 4L, root)) {
            PolicyWeights.write(next, good);
        }
        byte[] all = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.params"), Arrays.copyOf(all, all.length / 2));
        assertThrows(PolicyFetchException.class, () -> live.install(1, truncated));
        assertEquals(0, live.version());
        assertArrayEquals(before, flat(live.model()));
    }

    private static float[] flat(Mdm model) {
        float[][][] p = model.probabilities(ALL_MASKED);
        float[] out = new float[p[0].length * p[0][0].length];
        for (int j = 0; j < p[0].length; j++) {
            System.arraycopy(p[0][j], 0, out, j * p[0][0].length, p[0][0].length);
        }
        return out;
    }
}

package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.replay.ReplayBuffer;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    @Test
    void evictsOldestFirstOnceFull() {
        ReplayBuffer<Integer> buffer = new ReplayBuffer<>(3);
        for (int i = 1; i <= 5; i++) {
            buffer.add(i);
        }
        assertEquals(List.of(3, 4, 5), buffer.snapshot());
        assertEquals(3, buffer.size());
        assertEquals(5, buffer.totalAdded());
    }

    @Test
    void samplesUniformly() {
        ReplayBuffer<Integer> buffer = new ReplayBuffer<>(4);
        for (int i = 0; i < 6; i++) {
            buffer.add(i); // holds 2, 3, 4, 5
        }
        int[] counts = new int[6];
        for (int x : buffer.sample(40_000, new SplittableRandom(1))) {
            counts[x]++;
        }
        assertEquals(0, counts[0] + counts[1], "evicted items were sampled");
        for (int i = 2; i < 6; i++) {
            // expected 10 000 each, sd ≈ 87
            assertTrue(Math.abs(counts[i] - 10_000) < 450, "item " + i + " drawn " + counts[i] + " times");
        }
    }

    @Test
    void refusesToSampleWhenEmpty() {
        assertThrows(IllegalStateException.class, () -> new ReplayBuffer<Integer>(2).sample(1, new SplittableRandom(1)));
    }
}

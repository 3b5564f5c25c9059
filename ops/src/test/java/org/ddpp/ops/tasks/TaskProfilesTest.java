package org.ddpp.ops.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ddpp.trainer.tasks.TaskProfile;
import org.junit.jupiter.api.Test;

/** {@link TaskProfiles} finds grid's profile here and the real tasks' in the tasks module, through ServiceLoader. */
class TaskProfilesTest {

    @Test
    void everyTaskHasAProfileAndGridComesFirst() {
        assertEquals(List.of("grid", "mnist", "protein", "sentiment"), TaskProfiles.names());
        try (TaskProfile grid = TaskProfiles.create("grid", Path.of("target", "ddpp-cache"))) {
            assertTrue(grid instanceof GridProfile);
        }
    }

    @Test
    void anUnknownTaskNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskProfiles.create("nope", Path.of("target")));
        assertEquals("unknown task 'nope' (known: grid, mnist, protein, sentiment)", e.getMessage());
    }
}

package org.ddpp.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.ddpp.diffusion.task.Tasks;
import org.ddpp.scorers.Scorers;
import org.ddpp.trainer.tasks.TaskProfileFactory;
import org.junit.jupiter.api.Test;

/**
 * The tasks module's services files make every real task known by the names checkpoints, the command line and the
 * joiner use, with no central list: the tasks, their scorers and their profile factories.
 */
class TaskDiscoveryTest {

    @Test
    void tasksAreFoundByTheirNames() {
        assertEquals(List.of("grid", "mnist", "mnist28", "protein", "sentiment"), Tasks.names());
        assertEquals("mnist", Tasks.byName("mnist").name());
        assertEquals(196, Tasks.byName("mnist").length());
        assertEquals(784, Tasks.byName("mnist28").length());
        assertEquals("protein", Tasks.byName("protein").name());
        assertEquals("sentiment", Tasks.byName("sentiment").name());
    }

    @Test
    void scorersAreFoundByTheirNames() {
        List<String> names = Scorers.names();
        for (String name : List.of("protein-sheet", "mnist-even", "sentiment-positive", "grid-center", "grid-half-plane")) {
            assertTrue(names.contains(name), name + " in " + names);
        }
    }

    @Test
    void profileFactoriesAreFoundByTheirTasks() {
        List<String> tasks = StreamSupport.stream(ServiceLoader.load(TaskProfileFactory.class).spliterator(), false)
                .map(TaskProfileFactory::task).sorted().toList();
        assertEquals(List.of("mnist", "protein", "sentiment"), tasks);
    }
}

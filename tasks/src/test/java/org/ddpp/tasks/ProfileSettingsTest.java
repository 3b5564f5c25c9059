package org.ddpp.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ddpp.diffusion.data.CacheDirectory;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.tasks.mnist.MnistProfile;
import org.ddpp.tasks.protein.ProteinProfile;
import org.ddpp.tasks.sentiment.SentimentProfile;
import org.ddpp.trainer.offline.FineTuneConfig;
import org.ddpp.trainer.tasks.TaskProfile;
import org.junit.jupiter.api.Test;

/**
 * The real tasks' fine-tune settings are the ones their benchmarks were measured with (docs/tasks), whatever the
 * generic offline defaults become: the paper's joint residual, the floor −20, constant learning rates and their own
 * batch sizes. The generic defaults moved to the one-step residual, floor −10, batch 128 and a decaying rate for
 * the grid (docs/fidelity.md); without the pins in the profiles these would have changed silently.
 */
class ProfileSettingsTest {

    private record Expected(TaskProfile profile, int batch, double lr) {}

    @Test
    void theProfilesKeepTheirMeasuredSettings() {
        java.nio.file.Path cache = CacheDirectory.get();
        List<Expected> all = List.of(new Expected(new ProteinProfile(cache), 64, 3e-4), new Expected(new MnistProfile(cache), 32, 3e-4),
                new Expected(new SentimentProfile(cache), 64, 5e-4));
        for (Expected e : all) {
            try (TaskProfile profile = e.profile()) {
                FineTuneConfig config = profile.fineTune().build();
                String name = profile.task().name();
                assertEquals(DdppConfig.Residual.JOINT, config.ddpp().residual(), name);
                assertEquals(-20.0, config.logRewardFloor(), name);
                assertEquals(0, config.ddpp().lrDecaySteps(), name + ": constant learning rates");
                assertEquals(e.batch(), config.batchSize(), name);
                assertEquals(e.lr(), config.ddpp().policyLearningRate(), 1e-12, name);
            }
        }
    }
}

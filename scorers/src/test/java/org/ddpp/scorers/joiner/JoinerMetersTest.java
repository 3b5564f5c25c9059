package org.ddpp.scorers.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ddpp.runtime.RoleMeters;
import org.junit.jupiter.api.Test;

/** The joiner's per-version counter is made once per version, not once per joined candidate. */
class JoinerMetersTest {

    @Test
    void joiningManyCandidatesOfOneVersionRegistersItsCounterOnce() {
        RoleMeters meters = RoleMeters.standalone("joiner", "test");
        JoinerMeters joiner = new JoinerMeters(meters);
        int before = meters.meters().size();
        for (int i = 0; i < 1_000; i++) {
            joiner.recordJoined(-1.0, false, 2L);
        }
        joiner.recordJoined(-1.0, false, 3L);
        assertEquals(before + 2, meters.meters().size(), "one counter for version 2, one for version 3");
        assertEquals(1_001, joiner.joined());
        assertEquals(1_000.0, meters.meters().stream()
                .filter(m -> m.getId().getName().equals("ddpp.joiner.joined.by.config") && "2".equals(m.getId().getTag("reward_config")))
                .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum());
    }
}

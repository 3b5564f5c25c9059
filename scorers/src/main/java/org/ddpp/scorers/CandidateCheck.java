package org.ddpp.scorers;

import java.util.List;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.Tasks;
import org.ddpp.schemas.avro.Candidate;

/**
 * Checks a candidate against its task before any scorer sees it: wrong length or a token outside the
 * vocabulary makes it INVALID. Tasks this process does not know are left to the scorer.
 */
public final class CandidateCheck {

    private CandidateCheck() {}

    /** Why {@code candidate} is not a valid sequence of its task, or null when it is (or the task is unknown here). */
    public static String invalidReason(Candidate candidate) {
        if (!Tasks.names().contains(candidate.getTask())) {
            return null;
        }
        Task task = Tasks.byName(candidate.getTask());
        return task.validate(tokens(candidate));
    }

    /** The candidate's tokens as an array. */
    public static int[] tokens(Candidate candidate) {
        List<Integer> tokens = candidate.getTokens();
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens.get(i);
        }
        return out;
    }
}

package org.ddpp.tasks.protein;

import java.util.Set;
import org.ddpp.scorers.RewardFunctionScorer;

/**
 * {@code protein-sheet}: the built-in structure-propensity scorer for the protein task,
 * {@code log R = log(sheet fraction + 0.01)} with the Chou–Fasman rule of {@link SheetPropensity} (see
 * {@link SheetReward}). Candidates that are not valid protein sequences (MASK or out-of-vocabulary tokens, PAD
 * before a residue, wrong length) are INVALID, through the task's own check.
 */
public final class SheetPropensityScorer extends RewardFunctionScorer {

    public static final String NAME = "protein-sheet";

    public SheetPropensityScorer() {
        super(NAME, "1", Set.of("protein"), new SheetReward());
    }
}

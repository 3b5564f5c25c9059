package org.ddpp.scorers.reward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ddpp.diffusion.reward.GridTargets;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.schemas.reward.RewardFormula;

/**
 * How several scorers make one reward: {@code log R(x) = max(floor, Σ_k w_k · log R_k(x))} over the required
 * scorers, summed in the configured order ({@link RewardFormula}, shared by every role). The joiner applies exactly {@link #combine}, and
 * {@link ExactRewards#of} evaluates the same method in process, so the trainer's target and the exact
 * evaluation cannot drift apart. Weights are finite and positive (a weight is a temperature on that scorer);
 * the floor is finite and negative (default −20, docs/algorithm.md, "The log-reward floor and tempering").
 *
 * @param scorers required scorers with their weights, in summation order; names unique, at least one
 * @param floor   lower bound on the combined log reward
 */
public record RewardComposition(List<WeightedScorer> scorers, double floor) {

    /** The default floor on the combined log reward: −20. */
    public static final double DEFAULT_FLOOR = LogRewardFloor.DEFAULT_FLOOR;

    /** The default combination: {@code grid-half-plane=1,grid-center=1}. */
    public static final String DEFAULT_SPEC = "grid-half-plane=1,grid-center=1";

    /** One required scorer and its weight {@code w_k}. */
    public record WeightedScorer(String name, double weight) {
        public WeightedScorer {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("scorer name must not be blank");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weight of scorer " + name + " must be finite and positive, got " + weight);
            }
        }
    }

    public RewardComposition {
        scorers = List.copyOf(scorers);
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("at least one required scorer is needed");
        }
        Set<String> seen = new HashSet<>();
        for (WeightedScorer s : scorers) {
            if (!seen.add(s.name())) {
                throw new IllegalArgumentException("scorer " + s.name() + " is listed twice");
            }
        }
        if (!(floor < 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("log-reward floor must be a finite negative number, got " + floor);
        }
    }

    /** The default combination with the default floor. */
    public static RewardComposition defaults() {
        return parse(DEFAULT_SPEC, DEFAULT_FLOOR);
    }

    /**
     * Parses {@code name=weight,name=weight} (a missing {@code =weight} means 1), e.g.
     * {@code grid-half-plane=1,grid-center=0.5}. A grid target's name ({@link GridTargets}) stands for its scorer:
     * {@code checkerboard} is {@code grid-checkerboard=1}.
     */
    public static RewardComposition parse(String spec, double floor) {
        Objects.requireNonNull(spec, "spec");
        List<WeightedScorer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String name = eq < 0 ? item : item.substring(0, eq).trim();
            if (name.indexOf(':') >= 0 || GridTargets.isTarget(name)) {
                name = GridTargets.scorerName(name); // a grid target by its name: its scorer, e.g. grid-checkerboard
            }
            double weight = 1.0;
            if (eq >= 0) {
                String w = item.substring(eq + 1).trim();
                try {
                    weight = Double.parseDouble(w);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("weight of scorer " + name + " is not a number: '" + w + "'");
                }
            }
            out.add(new WeightedScorer(name, weight));
        }
        return new RewardComposition(out, floor);
    }

    /** The scorer names in summation order. */
    public List<String> names() {
        return scorers.stream().map(WeightedScorer::name).toList();
    }

    /** True when {@code scorer} is one of the required scorers. */
    public boolean requires(String scorer) {
        return scorers.stream().anyMatch(s -> s.name().equals(scorer));
    }

    /** The weight of {@code scorer}; {@link IllegalArgumentException} when it is not required. */
    public double weight(String scorer) {
        return scorers.stream().filter(s -> s.name().equals(scorer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("scorer " + scorer + " is not required")).weight();
    }

    /**
     * Combines one candidate's per-scorer log rewards, given in the order of {@link #scorers()}: each must be a
     * number below +∞ (−∞ allowed). It is {@link RewardFormula#combine}, the single definition of the reward formula.
     */
    public RewardFormula.Combined combine(double[] logRewards) {
        double[] weights = scorers.stream().mapToDouble(WeightedScorer::weight).toArray();
        return RewardFormula.combine(names(), weights, logRewards, floor);
    }

    /** The configuration in {@link #parse} form. */
    public String spec() {
        StringBuilder out = new StringBuilder();
        for (WeightedScorer s : scorers) {
            out.append(out.length() == 0 ? "" : ",").append(s.name()).append('=').append(s.weight());
        }
        return out.toString();
    }
}

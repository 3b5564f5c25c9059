package org.ddpp.schemas.reward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ddpp.schemas.avro.RewardConfig;
import org.ddpp.schemas.avro.RewardTerm;

/**
 * The one definition of how several scorers make one reward, {@code log R(x) = max(floor, Σ_k w_k · log R_k(x))},
 * and of what a {@link RewardConfig} must satisfy. It lives with the records because every role applies it: the
 * joiner combines scores with it, the trainer recombines a buffered sample's stored components with it when the
 * run is steered to a new configuration, and the exact evaluation uses it in process — so none of them can drift
 * from the others.
 */
public final class RewardFormula {

    /** The largest number of scorers one configuration may require (a crafted record cannot ask for more). */
    public static final int MAX_TERMS = 64;

    private RewardFormula() {}

    /**
     * The result of combining one candidate's scores.
     *
     * @param logReward the combined log reward after the floor
     * @param raw       the weighted sum before the floor (may be −∞)
     * @param clamped   true when the floor raised it
     */
    public record Combined(double logReward, double raw, boolean clamped) {}

    /**
     * Combines per-scorer log rewards (each a number below +∞; −∞ allowed) with their weights, in the given order.
     *
     * @param names only for the message when a log reward is not usable
     */
    public static Combined combine(List<String> names, double[] weights, double[] logRewards, double floor) {
        if (logRewards.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " log rewards, got " + logRewards.length);
        }
        double sum = 0.0;
        for (int k = 0; k < logRewards.length; k++) {
            double v = logRewards[k];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("log reward of scorer " + names.get(k) + " is " + v);
            }
            sum += weights[k] * v;
        }
        return sum < floor ? new Combined(floor, sum, true) : new Combined(sum, sum, false);
    }

    /**
     * The combined log reward of {@code config} from per-scorer log rewards by name (the temperature folded into
     * the weights, {@code β · w_k}); empty when a required scorer's term is missing.
     */
    public static java.util.Optional<Combined> combine(RewardConfig config, Map<String, Double> logRewards) {
        List<RewardTerm> terms = config.getScorers();
        double[] weights = new double[terms.size()];
        double[] values = new double[terms.size()];
        List<String> names = new ArrayList<>(terms.size());
        for (int k = 0; k < terms.size(); k++) {
            RewardTerm t = terms.get(k);
            Double v = logRewards.get(t.getScorer());
            if (v == null) {
                return java.util.Optional.empty();
            }
            names.add(t.getScorer());
            weights[k] = config.getBeta() * t.getWeight();
            values[k] = v;
        }
        return java.util.Optional.of(combine(names, weights, values, config.getFloor()));
    }

    /** The scorers and weights of {@code config} as {@code ddpp steer --reward} takes them: {@code a=1.0,b=0.5}. */
    public static String weights(RewardConfig config) {
        StringBuilder out = new StringBuilder();
        for (RewardTerm t : config.getScorers()) {
            out.append(out.isEmpty() ? "" : ",").append(t.getScorer()).append('=').append(t.getWeight());
        }
        return out.toString();
    }

    /** Why {@code config} cannot be applied, or null: the same rules {@code ddpp steer} enforces before publishing. */
    public static String problem(RewardConfig config) {
        if (config.getRun() == null || config.getRun().isBlank()) {
            return "reward configuration without a run";
        }
        if (config.getVersion() < 1) {
            return "reward configuration version " + config.getVersion() + " (versions start at 1)";
        }
        List<RewardTerm> terms = config.getScorers();
        if (terms == null || terms.isEmpty()) {
            return "reward configuration without a required scorer";
        }
        if (terms.size() > MAX_TERMS) {
            return "reward configuration requires " + terms.size() + " scorers, more than " + MAX_TERMS;
        }
        Set<String> seen = new HashSet<>();
        for (RewardTerm t : terms) {
            if (t.getScorer() == null || t.getScorer().isBlank()) {
                return "reward configuration with a blank scorer name";
            }
            if (!seen.add(t.getScorer())) {
                return "scorer " + t.getScorer() + " is listed twice";
            }
            if (!(t.getWeight() > 0) || Double.isInfinite(t.getWeight())) {
                return "weight of scorer " + t.getScorer() + " must be finite and positive, got " + t.getWeight();
            }
        }
        if (!(config.getFloor() < 0) || Double.isInfinite(config.getFloor())) {
            return "log-reward floor must be a finite negative number, got " + config.getFloor();
        }
        if (!(config.getBeta() > 0) || Double.isInfinite(config.getBeta())) {
            return "beta must be finite and positive, got " + config.getBeta();
        }
        return null;
    }
}

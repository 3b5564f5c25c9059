package org.ddpp.diffusion.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's targets with exact evaluation, by name, so every command that fine-tunes or evaluates on the grid takes
 * the same {@code --reward NAME[:key=value,...]}: {@code half-plane} (depends on the first token only, its posterior
 * factorises), {@code center} (soft, second token only), and three that couple both positions — {@code checkerboard},
 * {@code annulus} and the soft {@code coupling}. {@link #SUITE} is the list {@code ddpp bench grid --suite} runs.
 */
public final class GridTargets {

    /** Every target, in the order of the suite. */
    public static final List<String> SUITE = List.of("half-plane", "center", "checkerboard", "annulus", "coupling");

    private GridTargets() {}

    /**
     * The reward of {@code spec}, e.g. {@code checkerboard}, {@code annulus:inner=16,outer=40},
     * {@code coupling:scale=8}, {@code half-plane:position=1,threshold=32}, {@code center:position=1,center=64,scale=64};
     * an {@link IllegalArgumentException} naming the known targets and keys otherwise.
     */
    public static RewardFunction parse(String spec) {
        String trimmed = spec == null ? "" : spec.trim();
        int colon = trimmed.indexOf(':');
        String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
        Map<String, Double> p = params(colon < 0 ? "" : trimmed.substring(colon + 1), spec);
        RewardFunction reward = switch (name) {
            case "half-plane" -> new HalfPlaneReward((int) take(p, "position", 0), (int) take(p, "threshold", 64));
            case "center" -> new CenterReward((int) take(p, "position", 1), take(p, "center", 64), take(p, "scale", 64));
            case "checkerboard" -> new CheckerboardReward();
            case "annulus" -> new AnnulusReward(take(p, "inner", 20), take(p, "outer", 36));
            case "coupling" -> new CouplingReward(take(p, "scale", 16));
            default -> throw new IllegalArgumentException("unknown grid target '" + name + "' (known: " + String.join(", ", SUITE) + ")");
        };
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("grid target " + name + " has no parameter " + p.keySet());
        }
        return reward;
    }

    /** True when {@code name} (without parameters) is one of the {@link #SUITE}'s targets. */
    public static boolean isTarget(String name) {
        return name != null && SUITE.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The scorer that computes target {@code spec} online: {@code grid-<name>} (e.g. {@code grid-checkerboard}).
     * The scorers use the targets' default parameters, so a spec with parameters is an
     * {@link IllegalArgumentException}: those run offline only ({@code ddpp bench grid}, {@code ddpp finetune}).
     */
    public static String scorerName(String spec) {
        String trimmed = spec == null ? "" : spec.trim();
        int colon = trimmed.indexOf(':');
        String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (!isTarget(name)) {
            throw new IllegalArgumentException("unknown grid target '" + name + "' (known: " + String.join(", ", SUITE) + ")");
        }
        if (colon >= 0) {
            throw new IllegalArgumentException("grid target '" + trimmed + "': the online scorer grid-" + name
                    + " uses the default parameters; parameterised targets run offline only (ddpp bench grid, ddpp finetune)");
        }
        return "grid-" + name;
    }

    private static Map<String, Double> params(String text, String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("grid target parameter '" + part + "' in '" + spec + "' is not key=value");
            }
            try {
                out.put(kv[0].trim().toLowerCase(Locale.ROOT), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("grid target parameter '" + part + "' in '" + spec + "' is not a number");
            }
        }
        return out;
    }

    private static double take(Map<String, Double> p, String key, double fallback) {
        Double v = p.remove(key);
        return v == null ? fallback : v;
    }
}

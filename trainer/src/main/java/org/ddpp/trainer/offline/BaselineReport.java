package org.ddpp.trainer.offline;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders a method comparison as a markdown page (table, samplers, settings, how to read it) for {@code reports/}. */
public final class BaselineReport {

    private BaselineReport() {}

    /** The report page; {@code pictures} are file names beside it, linked at the end. */
    public static String markdown(String task, Map<String, Object> out, List<MethodResult> results, List<String> pictures, String notes) {
        Set<String> qualityKeys = new LinkedHashSet<>();
        results.forEach(r -> qualityKeys.addAll(r.quality().keySet()));
        StringBuilder s = new StringBuilder();
        s.append("# Method comparison: ").append(task).append("\n\n");
        s.append("Reward: ").append(out.get("reward")).append(". Samples per method: ").append(out.get("samples_per_method")).append(".\n\n");
        s.append("| method | mean log R |");
        qualityKeys.forEach(k -> s.append(' ').append(k).append(" |"));
        s.append(" distinct | mean Hamming | reward calls | calls/sample | wall s |\n|---|---|");
        qualityKeys.forEach(k -> s.append("---|"));
        s.append("---|---|---|---|---|\n");
        for (MethodResult r : results) {
            s.append("| ").append(r.method()).append(" | ").append(f(r.meanLogReward())).append(" |");
            for (String k : qualityKeys) {
                Double v = r.quality().get(k);
                s.append(' ').append(v == null || v.isNaN() ? "—" : f(v)).append(" |");
            }
            s.append(' ').append(f(r.distinctFraction()))
                    .append(" | ").append(f(r.meanPairwiseHamming()))
                    .append(" | ").append(r.rewardCalls())
                    .append(" | ").append(f(r.rewardCalls() / (double) r.samples()))
                    .append(" | ").append(String.format("%.1f", r.seconds()))
                    .append(" |\n");
        }
        s.append('\n').append(notes).append(" DDPP's reward calls and wall time include fine-tuning; sampling it afterwards ")
                .append("needs no reward. Other figures of the run: ");
        out.forEach((k, v) -> {
            if (!k.equals("methods") && !k.equals("reward")) {
                s.append('`').append(k).append("` = ").append(v instanceof Double d ? f(d) : String.valueOf(v)).append("; ");
            }
        });
        s.append("\n\nSamplers:\n\n");
        for (MethodResult r : results) {
            s.append("- ").append(r.method()).append(": `").append(r.sampler()).append("`\n");
        }
        for (String picture : pictures) {
            s.append("\n![").append(picture).append("](").append(picture).append(")\n");
        }
        return s.toString();
    }

    private static String f(double v) {
        return String.format("%.4f", v);
    }
}

package org.ddpp.trainer.offline;

import java.util.List;
import java.util.Map;

/** Renders the method comparison as a markdown page (table, settings, how to read it) for {@code reports/}. */
final class BaselineReport {

    private BaselineReport() {}

    static String markdown(Map<String, Object> out, List<MethodResult> results, String picture) {
        StringBuilder s = new StringBuilder();
        s.append("# Method comparison on the grid\n\n");
        s.append("Reward: ").append(out.get("reward")).append(". Samples per method: ").append(out.get("samples_per_method"))
                .append(". Target share with R > 0: ").append(f(out.get("fraction_r_positive_target"))).append(".\n\n");
        s.append("| method | mean log R | R > 0 | TV squares | TV cells | exact TV | distinct | mean Hamming | reward calls | calls/sample | wall s |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (MethodResult r : results) {
            s.append("| ").append(r.method())
                    .append(" | ").append(f(r.meanLogReward()))
                    .append(" | ").append(f(r.fractionRewardPositive()))
                    .append(" | ").append(f(r.tvHistogramSquares()))
                    .append(" | ").append(f(r.tvHistogramCells()))
                    .append(" | ").append(Double.isNaN(r.tvExactModel()) ? "—" : f(r.tvExactModel()))
                    .append(" | ").append(f(r.distinctFraction()))
                    .append(" | ").append(f(r.meanPairwiseHamming()))
                    .append(" | ").append(r.rewardCalls())
                    .append(" | ").append(f(r.rewardCalls() / (double) r.samples()))
                    .append(" | ").append(String.format("%.1f", r.seconds()))
                    .append(" |\n");
        }
        s.append("\nTV cells: TV of the 128×128 sample histogram to the exact target; with K samples it cannot go below ")
                .append(f(out.get("tv_hist_noise_floor")))
                .append(" (K exact draws from the target). TV squares: the same over the 4×4 layout of 32×32 blocks (one prior square each). ")
                .append("Exact TV: of the model's exactly enumerated first-hit distribution (only for plain sampling of a model). ")
                .append("DDPP-LB's reward calls and wall time include fine-tuning; sampling it afterwards needs no reward.\n\n");
        s.append("Samplers:\n\n");
        for (MethodResult r : results) {
            s.append("- ").append(r.method()).append(": `").append(r.sampler()).append("`\n");
        }
        s.append("\nSettings: pre-training ").append(out.get("pretrain_steps")).append(" steps (seed ").append(out.get("seed"))
                .append("), DDPP-LB ").append(out.get("finetune_steps")).append(" steps (seed ").append(out.get("finetune_seed"))
                .append("), sampling seed ").append(out.get("sample_seed")).append(", Hamming over the first ")
                .append(out.get("hamming_subsample")).append(" samples.\n\n");
        s.append("![histograms](").append(picture).append(")\n");
        return s.toString();
    }

    private static String f(Object v) {
        return v instanceof Number n ? String.format("%.4f", n.doubleValue()) : String.valueOf(v);
    }
}

package org.ddpp.trainer.online;

import java.util.List;
import java.util.SplittableRandom;
import org.ddpp.diffusion.eval.OrderLikelihood;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.replay.ScoredSequence;

/**
 * The online posterior-quality figures (docs/algorithm.md, "Online posterior quality"), from the samples the
 * trainer holds anyway: the Monte-Carlo estimate {@code log mean R} over fresh pinned (pre-trained) samples, which
 * the learned {@code log Z} at the fully masked input should match; the effective sample size of the
 * self-normalised weights {@code R·p_pre/q} over policy samples; an estimate of {@code KL(q‖p_pre)}; and the share of
 * reward-zero (floored) samples. The model-based figures need {@code log q(x) − log p_pre(x)}, estimated with
 * {@link OrderLikelihood} over the policy and the frozen reference, so they run on the trainer thread.
 */
final class PosteriorQuality {

    /** Unmasking orders per policy sample (every order when there are at most this many: exact on the grid). */
    static final int ORDERS = 4;
    /** Stages per order: forward passes per order and model. */
    static final int STAGES = 16;

    private PosteriorQuality() {}

    /**
     * One measurement. NaN where there were no samples of that kind.
     *
     * @param logMeanRewardPinned {@code log((1/N) Σ R(x_i))} over the N pinned samples: a Monte-Carlo {@code log E_pre[R]}
     * @param essFraction ESS / n of the self-normalised weights over the n policy samples (1: q is the posterior)
     * @param klToPre {@code mean_i [log q(x_i) − log p_pre(x_i)]} over the policy samples
     */
    record Figures(int pinned, double logMeanRewardPinned, double rewardZeroSharePinned, int policy, double ess,
            double essFraction, double klToPre, double rewardZeroSharePolicy) {

        static final Figures NONE = new Figures(0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Measures over {@code pinned} and {@code policySamples} with the policy {@code q} and the reference {@code pre}. */
    static Figures measure(Mdm q, Mdm pre, List<ScoredSequence> pinned, List<ScoredSequence> policySamples, SplittableRandom rng) {
        double ess = Double.NaN;
        double essFraction = Double.NaN;
        double kl = Double.NaN;
        if (!policySamples.isEmpty()) {
            int[][] x = new int[policySamples.size()][];
            for (int i = 0; i < x.length; i++) {
                x[i] = policySamples.get(i).tokens();
            }
            double[] logRatio = OrderLikelihood.of(q, pre, x, ORDERS, STAGES, rng).logRatio();
            double[] logWeights = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                logWeights[i] = policySamples.get(i).logReward() - logRatio[i];
            }
            ess = effectiveSampleSize(logWeights);
            essFraction = ess / x.length;
            kl = mean(logRatio);
        }
        return new Figures(pinned.size(), logMeanReward(pinned), rewardZeroShare(pinned), policySamples.size(), ess,
                essFraction, kl, rewardZeroShare(policySamples));
    }

    /** {@code log((1/N) Σ R(x_i))} of the samples' log rewards; NaN without samples. */
    static double logMeanReward(List<ScoredSequence> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        return OrderLikelihood.logMeanExp(samples.stream().mapToDouble(ScoredSequence::logReward).toArray());
    }

    /** The share of samples whose reward the floor raised; NaN without samples. */
    static double rewardZeroShare(List<ScoredSequence> samples) {
        return samples.isEmpty() ? Double.NaN : samples.stream().filter(ScoredSequence::floored).count() / (double) samples.size();
    }

    /** {@code (Σ w)² / Σ w²} of weights given as logs (scale-free); NaN when every weight is 0. */
    static double effectiveSampleSize(double[] logWeights) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logWeights) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return Double.NaN;
        }
        double sum = 0;
        double squares = 0;
        for (double v : logWeights) {
            double w = Math.exp(v - max);
            sum += w;
            squares += w * w;
        }
        return sum * sum / squares;
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}

package org.ddpp.trainer.offline;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.baseline.BestOfN;
import org.ddpp.diffusion.baseline.CountingReward;
import org.ddpp.diffusion.baseline.Diversity;
import org.ddpp.diffusion.baseline.SvddSampler;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the paper's methods on any task and measures their samples alike: the pre-trained model, best-of-N, SVDD
 * and DDPP fine-tuning with the offline loop. The task contributes only its pre-trained model, its raw reward and
 * a {@link Quality} (its own figures); a per-task benchmark adds pictures and exact figures around it.
 */
public final class MethodComparison {

    private static final Logger LOG = LoggerFactory.getLogger(MethodComparison.class);

    /** A task's quality figures of K samples; {@code model} is the sampled model where plain sampling was used, else null. */
    @FunctionalInterface
    public interface Quality {
        Map<String, Double> of(int[][] samples, Mdm model);
    }

    /**
     * @param samples K, samples drawn per method
     * @param bestOfN N of best-of-N
     * @param svddCandidates M, SVDD proposals per step
     * @param svddAlpha SVDD selection temperature (0 = greedy)
     * @param samplerSteps ancestral steps of every method
     * @param hammingSubsample samples whose pairs enter the mean Hamming distance
     * @param sampleSeed seed of every method's sampling
     */
    public record Settings(int samples, int bestOfN, int svddCandidates, double svddAlpha, int samplerSteps,
            int hammingSubsample, long sampleSeed) {}

    /** One method's measurements and its samples (for pictures). */
    public record Outcome(MethodResult result, int[][] samples) {}

    private final Settings settings;
    private final RewardFunction raw;
    private final LogRewardFloor floored;
    private final Quality quality;
    private final MaskSchedule schedule = new MaskSchedule();

    /**
     * @param raw the task's reward; methods select with it floored at {@code logRewardFloor}, as DDPP trains
     */
    public MethodComparison(Settings settings, RewardFunction raw, double logRewardFloor, Quality quality) {
        this.settings = settings;
        this.raw = raw;
        this.floored = new LogRewardFloor(raw, logRewardFloor);
        this.quality = quality;
    }

    private AncestralSampler ancestral() {
        return new AncestralSampler(settings.samplerSteps(), true, true, schedule);
    }

    private SplittableRandom rng() {
        return new SplittableRandom(settings.sampleSeed());
    }

    /** Plain ancestral sampling of the pre-trained model; no reward calls. */
    public Outcome pretrained(Mdm model) {
        AncestralSampler sampler = ancestral();
        long t0 = System.nanoTime();
        int[][] xs = sampler.sample(model, settings.samples(), rng());
        return measure("pretrained", sampler.describe(), xs, model, 0, t0);
    }

    /** Best-of-N over the ancestral sampler of {@code model}. */
    public Outcome bestOfN(Mdm model) {
        BestOfN best = new BestOfN(ancestral(), settings.bestOfN(), floored);
        long t0 = System.nanoTime();
        int[][] xs = best.sample(model, settings.samples(), rng());
        return measure("best_of_n", best.describe(), xs, null, best.rewardCalls(), t0);
    }

    /** SVDD from {@code model}. */
    public Outcome svdd(Mdm model) {
        SvddSampler svdd = new SvddSampler(settings.samplerSteps(), settings.svddCandidates(), settings.svddAlpha(), schedule, floored);
        long t0 = System.nanoTime();
        int[][] xs = svdd.sample(model, settings.samples(), rng());
        return measure("svdd", svdd.describe(), xs, null, svdd.rewardCalls(), t0);
    }

    /** DDPP fine-tuning of {@code reference} with the offline loop, then plain sampling of the policy. */
    public Outcome ddpp(Mdm reference, FineTuneConfig config, NDManager parent) {
        CountingReward counted = new CountingReward(raw);
        long t0 = System.nanoTime();
        try (OfflineDdppLoop loop = new OfflineDdppLoop(reference, counted, config, parent)) {
            OfflineDdppLoop.Summary summary = loop.run(null);
            Mdm policy = loop.learner().policy();
            AncestralSampler sampler = ancestral();
            int[][] xs = sampler.sample(policy, settings.samples(), rng());
            String objective = config.ddpp().objective().name();
            return measure("ddpp_" + objective.toLowerCase(), sampler.describe() + " after " + summary.steps() + " DDPP-"
                    + objective + " steps", xs, policy, counted.calls(), t0);
        }
    }

    private Outcome measure(String method, String sampler, int[][] xs, Mdm model, long rewardCalls, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        // measuring is not a method's cost: these reward evaluations are not counted
        double[] logR = raw.logReward(xs);
        double sum = 0;
        for (double v : logR) {
            sum += floored.apply(v);
        }
        MethodResult r = new MethodResult(method, sampler, xs.length, sum / xs.length, quality.of(xs, model),
                Diversity.distinctFraction(xs), Diversity.meanPairwiseHamming(xs, settings.hammingSubsample()),
                rewardCalls, seconds);
        LOG.info("{}: mean log R {}, {}, distinct {}, reward calls {}, {} s", method, String.format("%.3f", r.meanLogReward()),
                r.quality(), String.format("%.3f", r.distinctFraction()), r.rewardCalls(), String.format("%.1f", r.seconds()));
        return new Outcome(r, xs);
    }
}

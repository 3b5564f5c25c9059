package org.ddpp.ops.cli;

import org.ddpp.diffusion.model.NetworkShape;
import org.ddpp.diffusion.train.DdppConfig;
import org.ddpp.diffusion.train.Objective;
import org.ddpp.diffusion.train.Proposal;
import org.ddpp.trainer.offline.FineTuneConfig;
import picocli.CommandLine.Option;

/** Command-line options of a DDPP fine-tune (shared by {@code ddpp finetune} and {@code ddpp bench}). */
public final class FineTuneOptions {

    @Option(names = "--objective", defaultValue = "lb", description = "DDPP objective: lb (learned log Z) or is (importance-sampled log Z) (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--steps", description = "Fine-tuning steps (default: 2000; --quick: 1200).")
    Integer steps;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per DDPP step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Adam learning rate of the policy (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--logz-lr", defaultValue = "3e-3", description = "Adam learning rate of the log-Z network (default: ${DEFAULT-VALUE}).")
    double logZLr;

    @Option(names = "--warmup", defaultValue = "200", description = "First steps that train only the log-Z network (LB) (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--grad-clip", defaultValue = "1.0", description = "Global-norm gradient clip per network (default: ${DEFAULT-VALUE}).")
    double gradClip;

    @Option(names = "--is-samples", defaultValue = "16", description = "Importance samples M per training sample (IS) (default: ${DEFAULT-VALUE}).")
    int isSamples;

    @Option(names = "--proposal", defaultValue = "policy", description = "IS proposal: policy or pretrained (default: ${DEFAULT-VALUE}).")
    String proposal;

    @Option(names = "--buffer", defaultValue = "10000", description = "Replay buffer capacity (default: ${DEFAULT-VALUE}).")
    int buffer;

    @Option(names = "--refill-every", defaultValue = "50", description = "Steps between replay-buffer refills (default: ${DEFAULT-VALUE}).")
    int refillEvery;

    @Option(names = "--refill-size", defaultValue = "256", description = "Fresh samples per refill (default: ${DEFAULT-VALUE}).")
    int refillSize;

    @Option(names = "--exploration-share", defaultValue = "0.5", description = "Share of each refill from the exploration source (default: ${DEFAULT-VALUE}).")
    double explorationShare;

    @Option(names = "--explore-from", defaultValue = "pretrained", description = "Exploration source: pretrained (samples of the pre-trained model) or prior (prior data) (default: ${DEFAULT-VALUE}).")
    String exploreFrom;

    @Option(names = "--sampler-steps", defaultValue = "64", description = "Steps of the ancestral sampler used for refills (default: ${DEFAULT-VALUE}).")
    int samplerSteps;

    @Option(names = "--log-reward-floor", defaultValue = "-20", description = "Floor on log R; R = 0 becomes this (default: ${DEFAULT-VALUE}).")
    double logRewardFloor;

    @Option(names = "--log-reward-floor-start", description = "Anneal the floor: training batches start floored at this value, lowered linearly to --log-reward-floor over the first half of the steps (default: no annealing).")
    Double logRewardFloorStart;

    @Option(names = "--elbo-weight", defaultValue = "0", description = "Weight of the reward-weighted ELBO term on the exploration rows (cross-entropy to p_pre*R with self-normalised weights R); 0 = the paper's objective (default: ${DEFAULT-VALUE}).")
    double elboWeight;

    @Option(names = "--single-mask-share", defaultValue = "0", description = "Share of batch rows masked at exactly one position instead of at a drawn time (default: ${DEFAULT-VALUE}).")
    double singleMaskShare;

    @Option(names = "--time-weighting", defaultValue = "uniform", description = "Weight of each row's squared DDPP residual over t: uniform (the paper) or decreasing, 2(1-t) (default: ${DEFAULT-VALUE}).")
    String timeWeighting;

    @Option(names = "--multi-mask-policy-weight", defaultValue = "1", description = "Scale of the policy's gradient from the squared residual of rows with two or more masked positions; the log-Z network still trains on them (default: ${DEFAULT-VALUE}).")
    double multiMaskPolicyWeight;

    @Option(names = "--lr-decay", description = "Lower both learning rates linearly to a tenth over the fine-tune's steps (default: constant, the paper's).")
    boolean lrDecay;

    @Option(names = "--finetune-seed", defaultValue = "11", description = "Seed of sampling, masking and the log-Z network (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The fine-tune settings; {@code defaultSteps} applies when {@code --steps} is not given. */
    public FineTuneConfig.Builder toBuilder(int defaultSteps) {
        if (!"pretrained".equals(exploreFrom) && !"prior".equals(exploreFrom)) {
            throw new IllegalArgumentException("--explore-from must be pretrained or prior, got '" + exploreFrom + "'");
        }
        Proposal prop = switch (proposal) {
            case "policy" -> Proposal.POLICY;
            case "pretrained" -> Proposal.PRETRAINED;
            default -> throw new IllegalArgumentException("--proposal must be policy or pretrained, got '" + proposal + "'");
        };
        DdppConfig ddpp = DdppConfig.builder()
                .optObjective(Objective.parse(objective))
                .optPolicyLearningRate(lr)
                .optLogZLearningRate(logZLr)
                .optWarmupSteps(warmup)
                .optGradClip(gradClip)
                .optIsSamples(isSamples)
                .optProposal(prop)
                .optElboWeight(elboWeight)
                .optSingleMaskShare(singleMaskShare)
                .optTimeWeighting(DdppConfig.TimeWeighting.parse(timeWeighting))
                .optMultiMaskPolicyWeight(multiMaskPolicyWeight)
                .optLrDecaySteps(lrDecay ? (steps == null ? defaultSteps : steps) : 0)
                .build();
        return FineTuneConfig.builder()
                .optDdpp(ddpp)
                .optLogZShape(NetworkShape.of(64, 1, 4))
                .optSteps(steps == null ? defaultSteps : steps)
                .optBatchSize(batchSize)
                .optBufferCapacity(buffer)
                .optRefillEvery(refillEvery)
                .optRefillSize(refillSize)
                .optExplorationShare(explorationShare)
                .optExploreFromPrior("prior".equals(exploreFrom))
                .optSamplerSteps(samplerSteps)
                .optLogRewardFloor(logRewardFloor)
                .optLogRewardFloorStart(logRewardFloorStart == null ? Double.NaN : logRewardFloorStart)
                .optSeed(seed);
    }

    /** True when {@code --steps} was given. */
    public boolean stepsGiven() {
        return steps != null;
    }
}

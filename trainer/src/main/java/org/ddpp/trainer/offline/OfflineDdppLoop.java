package org.ddpp.trainer.offline;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.ddpp.diffusion.MaskSchedule;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.replay.ReplayBuffer;
import org.ddpp.diffusion.replay.ScoredSequence;
import org.ddpp.diffusion.reward.LogRewardFloor;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.AncestralSampler;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.train.DdppLearner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDPP fine-tuning in one process, as in the paper: a replay buffer refilled on-policy every K steps, mixed with
 * exploration samples from the pre-trained model (or the prior data), and one DDPP step per iteration. This is
 * the baseline the streaming trainer is compared with.
 */
public final class OfflineDdppLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineDdppLoop.class);

    private final Task task;
    private final FineTuneConfig config;
    private final LogRewardFloor reward;
    private final DdppLearner learner;
    private final ReplayBuffer<ScoredSequence> buffer;
    private final AncestralSampler sampler;
    private final MaskSchedule schedule = new MaskSchedule();
    private final SplittableRandom rng;
    private double trainSeconds;

    /** Result of {@link #run}: final step, wall time and speed of the DDPP steps alone. */
    public record Summary(long steps, double seconds, double stepsPerSecond, double lastLoss, double logZAtFullMask) {}

    /**
     * @param reference the pre-trained model (frozen; the policy starts as its copy)
     * @param reward the raw reward; floored here with {@link FineTuneConfig#logRewardFloor()}
     */
    public OfflineDdppLoop(Mdm reference, RewardFunction reward, FineTuneConfig config, NDManager parent) {
        this.task = reference.task();
        this.config = config;
        this.reward = new LogRewardFloor(reward, config.logRewardFloor());
        Mdm policy = reference.copy(parent);
        LogPartition logPartition = LogPartition.create(task, config.logZShape(), config.seed() + 101, parent);
        this.learner = new DdppLearner(config.ddpp(), policy, reference, logPartition, this.reward, parent);
        this.buffer = new ReplayBuffer<>(config.bufferCapacity());
        this.sampler = new AncestralSampler(config.samplerSteps(), true, true, schedule);
        this.rng = new SplittableRandom(config.seed());
    }

    /**
     * Runs the configured number of steps.
     *
     * @param onStep called after every step with the step number (evaluations, curves); may be null
     */
    public Summary run(LongConsumer onStep) {
        ProgressLog progress = new ProgressLog(LOG, 5.0);
        long start = System.nanoTime();
        double lastLoss = Double.NaN;
        for (int s = 0; s < config.steps(); s++) {
            if (s % config.refillEvery() == 0) {
                refill();
            }
            long t0 = System.nanoTime();
            DdppLearner.StepResult r = step();
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            lastLoss = r.loss();
            if (onStep != null) {
                onStep.accept(r.step());
            }
            progress.maybe(s == config.steps() - 1,
                    "finetune {} step {}/{} loss {} logZ {} mean logR {}{} ({} steps/s)",
                    config.ddpp().objective(), r.step(), config.steps(), fmt(r.loss()), fmt(r.meanLogZ()),
                    fmt(r.meanLogReward()), r.warmup() ? " [log-Z warm-up]" : "",
                    fmt(r.step() / Math.max(trainSeconds, 1e-9)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Summary(learner.stepCount(), seconds, learner.stepCount() / Math.max(trainSeconds, 1e-9),
                lastLoss, learner.logPartition().logZAtFullMask());
    }

    /** One DDPP step on a batch drawn uniformly from the buffer. */
    public DdppLearner.StepResult step() {
        List<ScoredSequence> items = buffer.sample(config.batchSize(), rng);
        int[][] x0 = new int[items.size()][];
        double[] logR = new double[items.size()];
        boolean[] explore = new boolean[items.size()];
        double floor = config.floorAt(learner.stepCount());
        for (int i = 0; i < x0.length; i++) {
            x0[i] = items.get(i).tokens();
            // stored rewards are floored at the final floor already; an annealed floor lifts them further early on
            logR[i] = Math.max(items.get(i).logReward(), floor);
            explore[i] = !ScoredSequence.POLICY.equals(items.get(i).source());
        }
        return learner.step(learner.batch(x0, logR, explore, schedule, rng), rng);
    }

    /** Adds {@code refillSize} fresh scored samples: exploration share first, then on-policy. */
    public void refill() {
        int explore = (int) Math.round(config.refillSize() * config.explorationShare());
        int onPolicy = config.refillSize() - explore;
        List<ScoredSequence> fresh = new ArrayList<>(config.refillSize());
        if (explore > 0) {
            boolean prior = config.exploreFromPrior();
            int[][] xs = prior
                    ? task.samplePrior(explore, rng)
                    : sampler.sample(learner.reference(), explore, rng);
            score(xs, prior ? ScoredSequence.PRIOR : ScoredSequence.PRETRAINED, fresh);
        }
        if (onPolicy > 0) {
            score(sampler.sample(learner.policy(), onPolicy, rng), ScoredSequence.POLICY, fresh);
        }
        if (buffer.size() == 0) {
            reportFloorMass(fresh);
        }
        buffer.addAll(fresh);
    }

    /**
     * From the first refill's exploration samples (distributed as the pre-trained model): the share of the floored
     * target's mass that sits where R = 0, {@code P(R = 0)·e^floor / E[R_floored]}; a warning when it exceeds 1 %.
     */
    private void reportFloorMass(List<ScoredSequence> fresh) {
        double floor = config.logRewardFloor();
        int n = 0;
        int atFloor = 0;
        double sum = 0;
        for (ScoredSequence s : fresh) {
            if (!ScoredSequence.POLICY.equals(s.source())) {
                n++;
                atFloor += s.logReward() <= floor ? 1 : 0;
                sum += Math.exp(s.logReward());
            }
        }
        if (n == 0 || sum == 0) {
            return;
        }
        double share = (atFloor / (double) n) * Math.exp(floor) / (sum / n);
        if (share > 0.01) {
            LOG.warn("log-reward floor {}: the floored target puts about {} of its mass where R = 0 ({} of {} exploration "
                    + "samples at the floor); a lower --log-reward-floor keeps it off", floor, fmt(share), atFloor, n);
        } else {
            LOG.info("log-reward floor {}: about {} of the floored target's mass sits where R = 0", floor, String.format("%.1e", share));
        }
    }

    private void score(int[][] xs, String source, List<ScoredSequence> into) {
        double[] logR = reward.logReward(xs);
        for (int i = 0; i < xs.length; i++) {
            into.add(new ScoredSequence(xs[i], logR[i], source, learner.stepCount()));
        }
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }

    public DdppLearner learner() {
        return learner;
    }

    public ReplayBuffer<ScoredSequence> buffer() {
        return buffer;
    }

    public LogRewardFloor reward() {
        return reward;
    }

    @Override
    public void close() {
        learner.close();
        learner.policy().close();
        learner.logPartition().close();
    }
}

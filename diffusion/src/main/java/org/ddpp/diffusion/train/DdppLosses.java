package org.ddpp.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskedBatch;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.Tensors;
import org.ddpp.diffusion.reward.DifferentiableReward;
import org.ddpp.diffusion.reward.RewardFunction;
import org.ddpp.diffusion.sample.Categorical;

/**
 * The DDPP losses as pure functions of (policy, reference, log-Z estimator, batch). For a sample {@code x0} with
 * reward {@code log R(x0)} and a masking {@code xt}, the residual is
 * {@code r = log q_theta(x0|xt) − log p_pre(x0|xt) − log R(x0) + log Z(xt)} and the loss is {@code mean r²}.
 * The reference is always evaluated without gradients; {@code x0}, {@code xt} and {@code log R} are data.
 */
public final class DdppLosses {

    private DdppLosses() {}

    /** The loss and the pieces of the residual (all attached to the caller's manager). */
    public record Value(NDArray loss, NDArray residual, NDArray logQ, NDArray logP, NDArray logZ) {}

    /**
     * DDPP-LB: {@code log Z(xt) = logZ_phi(xt, t)}, learned jointly. With {@code policyFrozen} (log-Z warm-up)
     * the policy term is detached so only phi receives gradients.
     */
    public static Value lb(
            NDManager m, Mdm policy, Mdm reference, LogPartition logPartition, MaskedBatch batch, boolean policyFrozen) {
        return lb(m, policy, reference, logPartition, batch, policyFrozen, Terms.PAPER);
    }

    /**
     * What the loss adds to the paper's {@code mean r²}: the weighting of each row's {@code r²} over its time and the
     * weight of the reward-weighted ELBO term on exploration rows ({@link DdppConfig#elboWeight()}).
     */
    public record Terms(DdppConfig.TimeWeighting timeWeighting, double elboWeight, double multiMaskPolicyWeight,
            double logZAnchorWeight) {
        /** The paper's loss: uniform over t, no ELBO term, full policy gradient everywhere. */
        public static final Terms PAPER = new Terms(DdppConfig.TimeWeighting.UNIFORM, 0.0, 1.0, 0.0);

        public Terms(DdppConfig.TimeWeighting timeWeighting, double elboWeight) {
            this(timeWeighting, elboWeight, 1.0, 0.0);
        }

        /** The terms of {@code config}. */
        public static Terms of(DdppConfig config) {
            return new Terms(config.timeWeighting(), config.elboWeight(), config.multiMaskPolicyWeight(),
                    config.logZAnchorWeight());
        }
    }

    /** DDPP-LB with the extra {@code terms}. */
    public static Value lb(NDManager m, Mdm policy, Mdm reference, LogPartition logPartition, MaskedBatch batch,
            boolean policyFrozen, Terms terms) {
        NDArray logQ = policyLogProb(m, policy, batch);
        if (policyFrozen) {
            logQ = logQ.stopGradient();
        }
        NDArray logQForResidual = scaleMultiMaskGradient(m, logQ, batch, policy.task().maskId(), terms.multiMaskPolicyWeight());
        NDArray logP = referenceLogProb(m, reference, batch);
        NDArray logZ = logPartition.logZ(m, batch.xt(), batch.t(), true); // float32; promoted to float64 below
        Value value = assemble(m, batch, logQForResidual, logQ, logP, logZ, terms);
        return withAnchor(m, value, batch, logZ, terms);
    }

    /**
     * DDPP-LB with one-step residuals ({@link DdppConfig.Residual#POSITION}): per row one masked position {@code j},
     * drawn uniformly, and {@code r = log q_j(x0_j|xt) − log p_j(x0_j|xt) − log Z(xt ⊕ x0_j) + log Z(xt)}, where
     * {@code xt ⊕ x0_j} is {@code xt} with position {@code j} revealed and the log Z of a clean sequence is its
     * {@code log R}. Both log Z terms come from the same network and both receive gradients: the chain of states is
     * anchored at the clean sequences' rewards. A row without a masked position is masked at one position, drawn
     * uniformly from the maskable ones (otherwise it would carry no residual). {@code terms} apply as in {@link #lb}:
     * the ELBO term sums every masked position of the (possibly re-masked) row.
     */
    public static Value lbPerPosition(NDManager m, Mdm policy, Mdm reference, LogPartition logPartition, MaskedBatch batch,
            boolean policyFrozen, Terms terms, SplittableRandom rng) {
        int maskId = policy.task().maskId();
        int b = batch.size();
        int[][] xt = new int[b][];
        int[][] onlyJ = new int[b][];
        int[][] next = new int[b][];
        double[] terminal = new double[b];
        for (int i = 0; i < b; i++) {
            xt[i] = batch.xt()[i];
            int[] masked = maskedPositions(xt[i], maskId);
            if (masked.length == 0) {
                int[] maskable = maskablePositions(policy.task().maskable(), xt[i].length);
                xt[i] = xt[i].clone();
                xt[i][maskable[rng.nextInt(maskable.length)]] = maskId;
                masked = maskedPositions(xt[i], maskId);
            }
            int j = masked[rng.nextInt(masked.length)];
            onlyJ[i] = new int[xt[i].length]; // MASK at j only: SequenceLogProb then picks position j alone
            onlyJ[i][j] = maskId;
            next[i] = xt[i].clone();
            next[i][j] = batch.x0()[i][j];
            terminal[i] = masked.length == 1 ? 1.0 : 0.0;
        }
        MaskedBatch effective = new MaskedBatch(batch.x0(), xt, batch.t(), batch.logReward(), batch.explore());
        NDArray policyOut = policy.logProbs(m, xt, true);
        NDArray logQAll = SequenceLogProb.of(m, policyOut, batch.x0(), xt, maskId);
        NDArray logQ = SequenceLogProb.of(m, policyOut, batch.x0(), onlyJ, maskId);
        if (policyFrozen) {
            logQ = logQ.stopGradient();
            logQAll = logQAll.stopGradient();
        }
        NDArray logQForResidual = scaleMultiMaskGradient(m, logQ, effective, maskId, terms.multiMaskPolicyWeight());
        NDArray refOut = reference.logProbs(m, xt, false).stopGradient();
        NDArray logP = SequenceLogProb.of(m, refOut, batch.x0(), onlyJ, maskId).stopGradient();
        int[][] both = new int[2 * b][];
        double[] times = new double[2 * b];
        for (int i = 0; i < b; i++) {
            both[i] = xt[i];
            both[b + i] = next[i];
            times[i] = batch.t()[i];
            times[b + i] = batch.t()[i];
        }
        NDArray logZBoth = logPartition.logZ(m, both, times, true); // float32 (2B)
        NDArray logZ = logZBoth.get("0:" + b);
        NDArray isTerminal = Tensors.doubles(m, terminal);
        NDArray notTerminal = Tensors.doubles(m, java.util.Arrays.stream(terminal).map(v -> 1.0 - v).toArray());
        NDArray logR = Tensors.doubles(m, batch.logReward());
        // float32 × float64 (B) promotes to float64 and keeps the graph
        NDArray logZNext = logZBoth.get(b + ":" + (2 * b)).mul(notTerminal).add(logR.mul(isTerminal));
        NDArray residual = logQForResidual.sub(logP).sub(logZNext).add(logZ);
        NDArray loss = loss(m, effective, residual.square(), logQAll, terms);
        return withAnchor(m, new Value(loss, residual, logQ, logP, logZ), effective, logZ, terms);
    }

    /**
     * {@code value} with the log-Z anchor added ({@link DdppConfig#logZAnchorWeight()}): on the exploration rows, the
     * Poisson loss {@code e^{s} − R̃·s} with {@code s = log Z_φ(xt) − c}, {@code R̃ = e^{log R − c}} and {@code c} the
     * rows' largest log reward (for range), averaged; its minimiser is {@code log E[R(x0) | xt]}.
     */
    private static Value withAnchor(NDManager m, Value value, MaskedBatch batch, NDArray logZ, Terms terms) {
        if (terms.logZAnchorWeight() == 0) {
            return value;
        }
        double c = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.explore()[i]) {
                c = Math.max(c, batch.logReward()[i]);
                n++;
            }
        }
        if (n == 0) {
            return value;
        }
        double[] weight = new double[batch.size()];
        double[] reward = new double[batch.size()];
        double[] shift = new double[batch.size()];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = batch.explore()[i] ? terms.logZAnchorWeight() / n : 0.0;
            reward[i] = batch.explore()[i] ? Math.exp(batch.logReward()[i] - c) : 0.0;
            shift[i] = c;
        }
        NDArray s = logZ.sub(Tensors.doubles(m, shift)); // float64 (B)
        NDArray perRow = s.exp().sub(s.mul(Tensors.doubles(m, reward)));
        NDArray loss = value.loss().add(perRow.mul(Tensors.doubles(m, weight)).sum());
        return new Value(loss, value.residual(), value.logQ(), value.logP(), value.logZ());
    }

    private static int[] maskedPositions(int[] xt, int maskId) {
        return java.util.stream.IntStream.range(0, xt.length).filter(i -> xt[i] == maskId).toArray();
    }

    private static int[] maskablePositions(boolean[] maskable, int length) {
        int[] some = java.util.stream.IntStream.range(0, maskable.length).filter(i -> maskable[i]).toArray();
        return some.length > 0 ? some : java.util.stream.IntStream.range(0, length).toArray();
    }

    /**
     * {@code logQ} with the same values and its gradient scaled by {@code weight} on rows with two or more masked
     * positions: {@code s·logQ + (1 − s)·stopGradient(logQ)}.
     */
    static NDArray scaleMultiMaskGradient(NDManager m, NDArray logQ, MaskedBatch batch, int maskId, double weight) {
        if (weight == 1.0) {
            return logQ;
        }
        double[] s = new double[batch.size()];
        for (int i = 0; i < s.length; i++) {
            int masked = 0;
            for (int token : batch.xt()[i]) {
                masked += token == maskId ? 1 : 0;
            }
            s[i] = masked >= 2 ? weight : 1.0;
        }
        NDArray scale = Tensors.doubles(m, s);
        NDArray keep = Tensors.doubles(m, java.util.Arrays.stream(s).map(v -> 1.0 - v).toArray());
        return logQ.mul(scale).add(logQ.stopGradient().mul(keep));
    }

    /**
     * DDPP-IS: {@code log Z(xt) = logsumexp_j [log p_pre(y_j|xt) + log R(y_j) − log w(y_j|xt)] − log M} with
     * {@code y_j ~ w(.|xt)} filling the masked positions, and a stop-gradient on the estimate.
     */
    public static Value importanceSampled(
            NDManager m,
            Mdm policy,
            Mdm reference,
            MaskedBatch batch,
            RewardFunction reward,
            int samples,
            Proposal proposal,
            SplittableRandom rng) {
        return importanceSampled(m, policy, reference, batch, reward, samples, proposal, rng, Terms.PAPER);
    }

    /** DDPP-IS with the extra {@code terms}. */
    public static Value importanceSampled(NDManager m, Mdm policy, Mdm reference, MaskedBatch batch, RewardFunction reward,
            int samples, Proposal proposal, SplittableRandom rng, Terms terms) {
        NDArray policyOut = policy.logProbs(m, batch.xt(), true);
        NDArray logQ = SequenceLogProb.of(m, policyOut, batch.x0(), batch.xt(), policy.task().maskId());
        NDArray refOut = reference.logProbs(m, batch.xt(), false).stopGradient();
        NDArray logP = SequenceLogProb.of(m, refOut, batch.x0(), batch.xt(), policy.task().maskId());
        double[] logZ = importanceLogZ(
                refOut.toFloatArray(),
                proposal == Proposal.POLICY ? policyOut.stopGradient().toFloatArray() : null,
                batch.xt(),
                reward,
                samples,
                policy.task().vocabSize(),
                policy.task().maskId(),
                rng);
        NDArray logQForResidual = scaleMultiMaskGradient(m, logQ, batch, policy.task().maskId(), terms.multiMaskPolicyWeight());
        return assemble(m, batch, logQForResidual, logQ, logP, Tensors.doubles(m, logZ), terms);
    }

    /** Relaxed policy samples per training sample in DDPP-KL (the paper's 8). */
    public static final int KL_SAMPLES = 8;

    /**
     * DDPP-KL: per row, the reverse KL of the policy's conditional to the target's,
     * {@code E_{y~q(.|xt)}[log q(y|xt) − log p_pre(y|xt) − log R(y)]}. The first two terms are exact (the conditionals
     * are products over the masked positions, so their KL is a sum of per-position KLs); the reward term averages
     * {@code samples} samples of the policy's conditional whose gradient reaches the policy through ReinMax
     * (Liu et al. 2023; temperature 1), a straight-through estimator with a second-order correction: the forward
     * value is the sampled one-hot, the backward pass that of {@code 2·softmax(stopgrad(log((D + π)/2) − θ) + θ) − π/2}.
     * The per-row value is at least {@code −log Z(xt)}, with equality at the target: {@code logZ} reports its negation.
     * The loss needs no log-Z network.
     */
    public static Value kl(NDManager m, Mdm policy, Mdm reference, MaskedBatch batch, DifferentiableReward reward,
            int samples, SplittableRandom rng, Terms terms) {
        int b = batch.size();
        int len = batch.xt()[0].length;
        int maskId = policy.task().maskId();
        NDArray logQAll = policy.logProbs(m, batch.xt(), true); // (B, L, V)
        int vocab = (int) logQAll.getShape().get(2);
        NDArray logPAll = reference.logProbs(m, batch.xt(), false).stopGradient();
        NDArray masked = Tensors.maskIndicator(m, batch.xt(), maskId); // (B, L) float32
        NDArray perPosition = logQAll.exp().mul(logQAll.sub(logPAll)).sum(new int[] {2}); // KL(q_j || p_j), (B, L)
        NDArray divergence = perPosition.mul(masked).sum(new int[] {1}); // (B)

        // one-hot samples D of the policy's conditional at the masked positions (seeded), the given token elsewhere
        float[] logQ = logQAll.stopGradient().toFloatArray();
        int[] drawn = new int[b * samples * len];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < samples; s++) {
                for (int j = 0; j < len; j++) {
                    int token = batch.xt()[i][j];
                    drawn[(i * samples + s) * len + j] = token == maskId
                            ? Categorical.sampleLog(logQ, (i * len + j) * vocab, vocab, rng) : token;
                }
            }
        }
        NDArray d = m.create(drawn, new ai.djl.ndarray.types.Shape(b * samples, len)).oneHot(vocab)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray theta = logQAll.expandDims(1).repeat(1, samples).reshape(b * samples, len, vocab);
        NDArray pi0 = theta.exp();
        NDArray pi1 = d.add(pi0).div(2f).maximum(1e-30f).log().sub(theta).stopGradient().add(theta).softmax(2);
        NDArray pi2 = pi1.mul(2f).sub(pi0.div(2f));
        NDArray relaxedMasked = pi2.sub(pi2.stopGradient()).add(d);
        NDArray maskedRows = masked.expandDims(1).repeat(1, samples).reshape(b * samples, len, 1);
        NDArray relaxed = relaxedMasked.mul(maskedRows).add(d.mul(maskedRows.neg().add(1f)));
        NDArray logR = reward.logReward(m, relaxed).reshape(b, samples).mean(new int[] {1}); // (B)

        // float64 from here, as the other objectives' losses (multiplying promotes and keeps the autograd graph)
        // (a 0-dimensional float64 would not promote: PyTorch's rule for scalars of the same kind)
        double[] ones = new double[b];
        java.util.Arrays.fill(ones, 1.0);
        NDArray perRow = divergence.sub(logR).mul(Tensors.doubles(m, ones));
        // as in LB, the policy's gradient from rows with two or more masks can be scaled (--multi-mask-policy-weight)
        NDArray forGradient = scaleMultiMaskGradient(m, perRow, batch, maskId, terms.multiMaskPolicyWeight());
        NDArray logQx0 = SequenceLogProb.of(m, logQAll, batch.x0(), batch.xt(), maskId);
        NDArray loss = loss(m, batch, forGradient, logQx0, terms);
        NDArray logPx0 = SequenceLogProb.of(m, logPAll, batch.x0(), batch.xt(), maskId).stopGradient();
        return new Value(loss, perRow, logQx0, logPx0, perRow.neg().stopGradient());
    }

    /** {@code log Z} estimates per row; {@code proposalLogProbs == null} means the proposal is the reference. */
    static double[] importanceLogZ(
            float[] refLogProbs,
            float[] proposalLogProbs,
            int[][] xt,
            RewardFunction reward,
            int samples,
            int vocab,
            int maskId,
            SplittableRandom rng) {
        int b = xt.length;
        int len = b == 0 ? 0 : xt[0].length;
        float[] proposal = proposalLogProbs == null ? refLogProbs : proposalLogProbs;
        int[][] ys = new int[b * samples][];
        double[] logWeight = new double[b * samples];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < samples; s++) {
                int[] y = xt[i].clone();
                double lw = 0.0;
                for (int j = 0; j < len; j++) {
                    if (xt[i][j] != maskId) {
                        continue;
                    }
                    int base = (i * len + j) * vocab;
                    int token = Categorical.sampleLog(proposal, base, vocab, rng);
                    y[j] = token;
                    lw += refLogProbs[base + token] - proposal[base + token];
                }
                ys[i * samples + s] = y;
                logWeight[i * samples + s] = lw;
            }
        }
        double[] logR = reward.logReward(ys);
        double[] logZ = new double[b];
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < samples; s++) {
                max = Math.max(max, logWeight[i * samples + s] + logR[i * samples + s]);
            }
            double sum = 0.0;
            for (int s = 0; s < samples; s++) {
                sum += Math.exp(logWeight[i * samples + s] + logR[i * samples + s] - max);
            }
            logZ[i] = max + Math.log(sum) - Math.log(samples);
        }
        return logZ;
    }

    /** {@code log q_theta(x0|xt)}, float64 {@code (B)}, with gradients to the policy. */
    public static NDArray policyLogProb(NDManager m, Mdm policy, MaskedBatch batch) {
        NDArray out = policy.logProbs(m, batch.xt(), true);
        return SequenceLogProb.of(m, out, batch.x0(), batch.xt(), policy.task().maskId());
    }

    /** {@code log p_pre(x0|xt)}, float64 {@code (B)}, without gradients. */
    public static NDArray referenceLogProb(NDManager m, Mdm reference, MaskedBatch batch) {
        NDArray out = reference.logProbs(m, batch.xt(), false).stopGradient();
        return SequenceLogProb.of(m, out, batch.x0(), batch.xt(), reference.task().maskId()).stopGradient();
    }

    private static Value assemble(NDManager m, MaskedBatch batch, NDArray logQForResidual, NDArray logQ, NDArray logP,
            NDArray logZ, Terms terms) {
        NDArray logR = Tensors.doubles(m, batch.logReward());
        NDArray residual = logQForResidual.sub(logP).sub(logR).add(logZ);
        NDArray loss = loss(m, batch, residual.square(), logQ, terms);
        return new Value(loss, residual, logQ, logP, logZ);
    }

    /**
     * The loss from each row's value {@code perRow} (float64 {@code (B)}): its mean, weighted over t as {@code terms}
     * say, plus the reward-weighted ELBO term on the exploration rows of {@code logQ = log q_θ(x0|xt)}.
     */
    private static NDArray loss(NDManager m, MaskedBatch batch, NDArray perRow, NDArray logQ, Terms terms) {
        NDArray loss;
        if (terms.timeWeighting() == DdppConfig.TimeWeighting.UNIFORM) {
            loss = perRow.mean();
        } else {
            double[] w = new double[batch.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = terms.timeWeighting().weight(batch.t()[i]);
            }
            loss = perRow.mul(Tensors.doubles(m, w)).mean();
        }
        double[] elbo = elboWeights(batch);
        if (terms.elboWeight() > 0 && elbo != null) {
            loss = loss.add(logQ.neg().mul(Tensors.doubles(m, elbo)).sum().mul(terms.elboWeight()));
        }
        return loss;
    }

    /**
     * Self-normalised weights {@code w_i ∝ R(x0_i)} over the exploration rows (0 elsewhere), or null when the batch
     * has none: rows drawn from {@code p_pre} weighted by R are a sample of {@code π ∝ p_pre·R}.
     */
    static double[] elboWeights(MaskedBatch batch) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.explore()[i]) {
                max = Math.max(max, batch.logReward()[i]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return null;
        }
        double[] w = new double[batch.size()];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            if (batch.explore()[i]) {
                w[i] = Math.exp(batch.logReward()[i] - max);
                sum += w[i];
            }
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }
}

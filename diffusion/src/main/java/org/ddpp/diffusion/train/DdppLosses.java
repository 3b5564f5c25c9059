package org.ddpp.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ddpp.diffusion.MaskedBatch;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.model.Tensors;
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
        NDArray logQ = policyLogProb(m, policy, batch);
        if (policyFrozen) {
            logQ = logQ.stopGradient();
        }
        NDArray logP = referenceLogProb(m, reference, batch);
        NDArray logZ = logPartition.logZ(m, batch.xt(), batch.t(), true); // float32; promoted to float64 below
        return assemble(m, batch, logQ, logP, logZ);
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
        return assemble(m, batch, logQ, logP, Tensors.doubles(m, logZ));
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

    private static Value assemble(NDManager m, MaskedBatch batch, NDArray logQ, NDArray logP, NDArray logZ) {
        NDArray logR = Tensors.doubles(m, batch.logReward());
        NDArray residual = logQ.sub(logP).sub(logR).add(logZ);
        NDArray loss = residual.square().mean();
        return new Value(loss, residual, logQ, logP, logZ);
    }
}

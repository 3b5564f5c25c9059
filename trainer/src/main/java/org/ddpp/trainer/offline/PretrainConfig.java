package org.ddpp.trainer.offline;

import org.ddpp.diffusion.model.NetworkShape;

/**
 * Settings of MDLM pre-training on a task's prior data.
 *
 * @param shape denoiser architecture; default d=64, 2 layers, 4 heads
 * @param steps optimiser steps; default 3000
 * @param batchSize sequences per step; default 128
 * @param learningRate Adam learning rate; default 1e-3
 * @param gradClip global-norm clip; default 1.0
 * @param seed seed of weights, data and masking; default 7
 */
public record PretrainConfig(NetworkShape shape, int steps, int batchSize, double learningRate, double gradClip, long seed) {

    public PretrainConfig {
        if (steps < 0 || batchSize < 1) {
            throw new IllegalArgumentException("steps must be >= 0 and batch size >= 1");
        }
    }

    public static PretrainConfig defaults() {
        return new PretrainConfig(NetworkShape.of(64, 2, 4), 3000, 128, 1e-3, 1.0, 7L);
    }

    public PretrainConfig withSteps(int v) {
        return new PretrainConfig(shape, v, batchSize, learningRate, gradClip, seed);
    }

    public PretrainConfig withSeed(long v) {
        return new PretrainConfig(shape, steps, batchSize, learningRate, gradClip, v);
    }

    public PretrainConfig withShape(NetworkShape v) {
        return new PretrainConfig(v, steps, batchSize, learningRate, gradClip, seed);
    }

    public PretrainConfig withBatchSize(int v) {
        return new PretrainConfig(shape, steps, v, learningRate, gradClip, seed);
    }

    public PretrainConfig withLearningRate(double v) {
        return new PretrainConfig(shape, steps, batchSize, v, gradClip, seed);
    }
}

package org.ddpp.diffusion.model;

import ai.djl.engine.Engine;

/**
 * PyTorch's autograd switch is per thread and on by default in new threads; DJL only turns it off on the thread
 * that loaded the engine. Inference, optimiser updates and weight copies call {@link #off()} so they neither build
 * graphs nor trip over in-place updates of leaf parameters.
 */
public final class GradMode {

    private GradMode() {}

    /** Turns autograd off on the calling thread (outside a gradient collector). */
    public static void off() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
    }
}

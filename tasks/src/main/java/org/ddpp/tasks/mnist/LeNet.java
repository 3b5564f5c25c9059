package org.ddpp.tasks.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * The digit classifier's network, a LeNet-style CNN: two 5×5 convolutions (padding 2, {@value #CONV1} and
 * {@value #CONV2} filters), each followed by ReLU and a 2×2 max pool (the second padded by 1, so an odd map keeps its last row), then a {@value #HIDDEN}-unit ReLU layer and
 * 10 logits. Input {@code (B, 1, side, side)} with pixels 0/1; for side 14 the feature map after the second pool is
 * 4×4, for side 28 it is 8×8. Wider than LeNet-5's 6/16 filters because on binarised 14×14 digits the extra width
 * costs seconds and buys about a point of accuracy.
 */
final class LeNet {

    static final int CONV1 = 16;
    static final int CONV2 = 32;
    static final int HIDDEN = 128;
    static final int CLASSES = 10;

    private LeNet() {}

    /** A fresh network whose weights will be drawn from {@code seed} (He-normal) when initialised. */
    static SequentialBlock create(long seed) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(CONV1).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(CONV2).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(1, 1)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
        net.setInitializer(new SeededHe(seed), Parameter.Type.WEIGHT);
        return net;
    }

    /** The input shape of one image. */
    static Shape inputShape(int side) {
        return new Shape(1, 1, side, side);
    }

    /**
     * He-normal weights from a Java random stream: parameters are initialised in a fixed order, so one seed gives
     * the same network on every run, independent of the engine's global generator.
     */
    private static final class SeededHe implements Initializer {
        private final SplittableRandom rng;

        SeededHe(long seed) {
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public synchronized NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fanIn = shape.size() / shape.get(0);
            double std = Math.sqrt(2.0 / Math.max(1, fanIn));
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                double u1 = 1.0 - rng.nextDouble();
                double u2 = rng.nextDouble();
                values[i] = (float) (std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
            }
            return manager.create(values, shape).toType(dataType, false);
        }
    }
}

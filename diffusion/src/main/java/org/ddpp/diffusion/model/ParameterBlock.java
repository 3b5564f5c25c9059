package org.ddpp.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * Base for our blocks: every parameter is declared with its full shape and a seeded initialiser up front, so a
 * block initialises without shape inference and a seed fixes every weight.
 */
abstract class ParameterBlock extends AbstractBlock {

    private final long seed;

    ParameterBlock(long seed) {
        this.seed = seed;
    }

    /** A weight matrix/vector drawn from N(0, std²). */
    protected final Parameter weight(String name, double std, long... shape) {
        long paramSeed = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        return declare(name, Parameter.Type.WEIGHT, new SeededInitializer(paramSeed, std), shape);
    }

    /** A vector of zeros (biases, LayerNorm shifts). */
    protected final Parameter zeros(String name, long... shape) {
        return declare(name, Parameter.Type.BIAS, Initializer.ZEROS, shape);
    }

    /** A vector of ones (LayerNorm gains). */
    protected final Parameter ones(String name, long... shape) {
        return declare(name, Parameter.Type.GAMMA, Initializer.ONES, shape);
    }

    private Parameter declare(String name, Parameter.Type type, Initializer init, long... shape) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(type)
                        .optShape(new Shape(shape))
                        .optInitializer(init)
                        .build());
    }

    /** Initialises this block and its children on {@code manager}; shapes are already fixed. */
    public final void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    static NDArray value(Parameter parameter) {
        return parameter.getArray();
    }
}

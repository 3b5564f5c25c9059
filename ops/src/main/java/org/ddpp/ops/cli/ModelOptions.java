package org.ddpp.ops.cli;

import org.ddpp.diffusion.model.NetworkShape;
import picocli.CommandLine.Option;

/** Command-line options that size the denoiser network. */
public final class ModelOptions {

    @Option(names = "--d-model", defaultValue = "64", description = "Embedding width of the denoiser (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--layers", defaultValue = "2", description = "Transformer layers of the denoiser (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads; must divide --d-model (default: ${DEFAULT-VALUE}).")
    int heads;

    public NetworkShape shape() {
        return NetworkShape.of(dModel, layers, heads);
    }
}

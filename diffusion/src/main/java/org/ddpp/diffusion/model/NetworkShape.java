package org.ddpp.diffusion.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The size of one transformer network: width, depth, heads and MLP width. Stored in checkpoint manifests so a
 * checkpoint can rebuild exactly the network it was saved from.
 *
 * @param dModel embedding width
 * @param layers number of pre-LN transformer layers
 * @param heads attention heads (must divide {@code dModel})
 * @param mlpHidden hidden width of the GELU MLP in each layer
 */
public record NetworkShape(
        @JsonProperty("d_model") int dModel,
        @JsonProperty("layers") int layers,
        @JsonProperty("heads") int heads,
        @JsonProperty("mlp_hidden") int mlpHidden) {

    public NetworkShape {
        if (dModel <= 0 || layers < 0 || heads <= 0 || mlpHidden <= 0) {
            throw new IllegalArgumentException("network sizes must be positive: " + dModel + "/" + layers + "/" + heads + "/" + mlpHidden);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by heads " + heads);
        }
    }

    /** A shape with the usual MLP width of four times the embedding width. */
    public static NetworkShape of(int dModel, int layers, int heads) {
        return new NetworkShape(dModel, layers, heads, 4 * dModel);
    }
}

package org.ddpp.producers;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ddpp.diffusion.checkpoint.PolicyWeights;
import org.ddpp.diffusion.model.Mdm;

/**
 * The model a sampler draws from and its policy version, with a second model of the same architecture into which
 * the next version is loaded. Only a load that completes swaps the two, so a truncated or mismatched file leaves
 * the current version untouched. Owned by one sampler thread; {@link #version()} may be read from any thread.
 */
public final class LivePolicy implements AutoCloseable {

    private final NDManager manager;
    private Mdm current;
    private Mdm spare;
    private volatile long version;

    /** Starts at {@code version} with {@code model}, which this object now owns (closes it). */
    public LivePolicy(Mdm model, long version, NDManager manager) {
        this.current = model;
        this.version = version;
        this.manager = manager;
    }

    /** The model of the current version. */
    public Mdm model() {
        return current;
    }

    public long version() {
        return version;
    }

    /**
     * Loads {@code weights} (a verified {@code PolicyWeights} file) into the spare model and makes it current as
     * {@code newVersion}. On failure (wrong architecture, truncated file) the current version stays and a
     * {@link PolicyFetchException} says why.
     */
    public void install(long newVersion, Path weights) throws PolicyFetchException {
        if (spare == null) {
            spare = current.copy(manager);
        }
        try (InputStream in = Files.newInputStream(weights)) {
            PolicyWeights.read(spare, in);
        } catch (IOException | RuntimeException e) {
            throw new PolicyFetchException("cannot load weights of version " + newVersion + " into the run's architecture: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        Mdm previous = current;
        current = spare;
        spare = previous;
        version = newVersion;
    }

    @Override
    public void close() {
        try {
            current.close();
        } finally {
            if (spare != null) {
                spare.close();
            }
        }
    }
}

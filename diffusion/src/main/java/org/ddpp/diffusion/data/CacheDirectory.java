package org.ddpp.diffusion.data;

import java.nio.file.Path;

/**
 * Where downloaded data sets and pre-trained models are kept between runs: {@code $DDPP_CACHE} when set, else
 * {@code ~/.cache/ddpp}. One place so that every role, benchmark and test agrees, and a user can move it.
 */
public final class CacheDirectory {

    private CacheDirectory() {}

    /** {@code $DDPP_CACHE}, else {@code ~/.cache/ddpp}. */
    public static Path get() {
        String env = System.getenv("DDPP_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "ddpp");
    }
}

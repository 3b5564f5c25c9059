package bench;

import java.nio.file.Path;

/** The directory the Micronaut weights controller serves. */
public record BenchRoot(Path root) {}

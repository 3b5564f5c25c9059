package bench;

import java.nio.file.Path;

/** The directory the streaming Micronaut weights controller serves. */
public record BenchStreamRoot(Path root) {}

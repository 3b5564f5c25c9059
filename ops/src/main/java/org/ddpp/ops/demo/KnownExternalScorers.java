package org.ddpp.ops.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Default command lines of the external scorers that ship with ddpp-stream (today: the Python
 * {@code garnier-sheet} scorer in {@code scorers/external/python}), found in the checkout the demo runs from, so
 * {@code ddpp demo --task protein} starts it without flags.
 */
final class KnownExternalScorers {

    static final String GARNIER = "garnier-sheet";
    static final String GARNIER_SCRIPT = "scorers/external/python/scorer.py";

    private KnownExternalScorers() {}

    /** The command template of {@code name}, with {@code {bootstrap}}, {@code {registry}} and {@code {run}} placeholders. */
    static List<String> command(String name) {
        if (!GARNIER.equals(name)) {
            throw new IllegalArgumentException("scorer '" + name + "' is not a Java scorer (known: "
                    + String.join(", ", org.ddpp.scorers.Scorers.names()) + ") and has no command: pass --external-scorer "
                    + name + "=COMMAND");
        }
        Path script = locate(GARNIER_SCRIPT);
        return List.of("/usr/bin/python3", script.toString(), "--bootstrap-servers", "{bootstrap}",
                "--schema-registry", "{registry}", "--run", "{run}");
    }

    /** The folder of the script the command runs (its second word, when that is a file), else the current one. */
    static Path workingDirectory(List<String> command) {
        if (command.size() > 1) {
            Path script = Path.of(command.get(1)).toAbsolutePath();
            if (Files.isRegularFile(script)) {
                return script.getParent();
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code relative} below the current folder or below the checkout that holds the running jar. */
    static Path locate(String relative) {
        List<Path> tried = new ArrayList<>();
        tried.add(Path.of("").toAbsolutePath().resolve(relative));
        try {
            Path code = Path.of(KnownExternalScorers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // ops/target/ddpp.jar or ops/target/classes -> the checkout is three levels up
            Path checkout = code.getParent() == null ? null : code.getParent().getParent();
            if (checkout != null && checkout.getParent() != null) {
                tried.add(checkout.getParent().resolve(relative));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: only the current folder is tried
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("cannot find " + relative + " (looked in " + tried + "): run from the ddpp-stream "
                + "checkout or pass --external-scorer " + GARNIER + "=COMMAND");
    }
}

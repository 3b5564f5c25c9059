package org.ddpp.tasks.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddpp.diffusion.data.NpmPackage;

/**
 * The labelled sentences the sentiment head learns from: the test fixtures of the npm package {@code sentiment}
 * {@value #VERSION} — {@code test/fixtures/imdb.json}, {@code yelp.json} and {@code amazon.json}, 1 000 review
 * sentences each (500 of each class; a last empty row is skipped) with {@code class} 1 (positive) or 0 (negative), the UCI "Sentiment Labelled Sentences" set.
 * Fetched once into the cache (sha512-pinned). The split is fixed: every fifth sentence of each file (index mod 5
 * = 4) is held out for measuring accuracy, the rest train the head.
 */
public final class LabelledSentences {

    public static final String VERSION = "5.0.2";
    public static final NpmPackage PACKAGE = new NpmPackage("sentiment", VERSION,
            "sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g==");
    public static final List<String> SOURCES = List.of("imdb", "yelp", "amazon");

    /** One labelled sentence. */
    public record Sentence(String text, boolean positive, String source, boolean heldOut) {}

    private LabelledSentences() {}

    /** All sentences of the three files, in file and line order, with the fixed held-out mark. */
    public static List<Sentence> load(Path cacheDir) throws IOException {
        Path dir;
        try {
            dir = PACKAGE.fetch(cacheDir);
        } catch (IOException e) {
            throw new IOException("sentiment training data missing: npm package sentiment@" + VERSION + " is not in " + cacheDir
                    + " and could not be fetched (" + e.getMessage() + ")");
        }
        ObjectMapper json = new ObjectMapper();
        List<Sentence> out = new ArrayList<>();
        for (String source : SOURCES) {
            Path file = dir.resolve("test").resolve("fixtures").resolve(source + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IOException("npm package sentiment@" + VERSION + " has no " + file);
            }
            JsonNode rows = json.readTree(file.toFile());
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = rows.get(i);
                int label = row.path("class").asInt(-1);
                String text = row.path("text").asText("").strip();
                if (text.isEmpty() && row.path("class").isNull()) {
                    continue; // each file ends with an empty placeholder row
                }
                if ((label != 0 && label != 1) || text.isEmpty()) {
                    throw new IOException(file + " row " + i + " has no text or no class 0/1");
                }
                out.add(new Sentence(text, label == 1, source, i % 5 == 4));
            }
        }
        return out;
    }
}

package org.ddpp.diffusion.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPackageTest {

    /** The npm package whose labelled sentences the sentiment scorer learns from: small, so the test stays fast. */
    static final NpmPackage SENTIMENT = new NpmPackage("sentiment", "5.0.2",
            "sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g==");

    @Test
    void fetchesVerifiesAndUnpacksOnceIntoTheCache(@TempDir Path cache) throws IOException {
        Path dir = SENTIMENT.fetch(cache);
        assertEquals(cache.resolve("npm").resolve("sentiment-5.0.2"), dir);
        assertTrue(Files.readString(dir.resolve("package.json")).contains("\"name\": \"sentiment\""));
        assertTrue(Files.size(dir.resolve("test/fixtures/amazon.json")) > 10_000);
        // a second fetch reads the cache: removing a file shows it is not unpacked again
        Files.delete(dir.resolve("package.json"));
        assertEquals(dir, SENTIMENT.fetch(cache));
        assertTrue(Files.notExists(dir.resolve("package.json")));
    }

    @Test
    void aTarballThatDoesNotMatchItsIntegrityIsRefusedAndNothingIsCached(@TempDir Path cache) {
        NpmPackage wrong = new NpmPackage("sentiment", "5.0.2", "sha512-AAAA");
        IOException e = assertThrows(IOException.class, () -> wrong.fetch(cache));
        assertTrue(e.getMessage().contains("failed its integrity check"), e.getMessage());
        assertTrue(Files.notExists(cache.resolve("npm").resolve("sentiment-5.0.2")));
    }

    @Test
    void anUnknownVersionIsOneReadableLine(@TempDir Path cache) {
        NpmPackage missing = new NpmPackage("sentiment", "0.0.0-nonexistent", "sha512-AAAA");
        IOException e = assertThrows(IOException.class, () -> missing.fetch(cache));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}

package org.ddpp.producers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Downloads one policy version's weights file ({@code file://}, {@code http://}, {@code https://} or a plain
 * absolute path) into a private temporary file and checks its size and sha256 against the announcement, so a
 * sampler only ever loads exactly the bytes the trainer published. No model code here: I/O and hashing only.
 */
public final class PolicyFetcher {

    private final Path downloadDir;
    private final Duration connectTimeout;
    private final Duration timeout;
    private HttpClient http;

    /** Downloads into {@code downloadDir}; http connects within {@code connectTimeout} and finishes within {@code timeout}. */
    public PolicyFetcher(Path downloadDir, Duration connectTimeout, Duration timeout) {
        this.downloadDir = downloadDir;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
    }

    /**
     * The verified weights as a temporary file owned by the caller (delete it after use). Throws
     * {@link PolicyFetchException} with a readable reason when the file is unreachable, has another size than
     * {@code sizeBytes} (a negative size skips that check) or another sha256 than {@code sha256} (hex, any case).
     */
    public Path fetch(String uri, String sha256, long sizeBytes) throws PolicyFetchException, InterruptedException {
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new PolicyFetchException("announced sha256 '" + sha256 + "' is not 64 hex digits");
        }
        URI target = parse(uri);
        Path tmp;
        try {
            Files.createDirectories(downloadDir);
            tmp = Files.createTempFile(downloadDir, "ddpp-policy-", ".params");
        } catch (IOException e) {
            throw new PolicyFetchException("cannot create a download file in " + downloadDir + ": " + e.getMessage(), e);
        }
        boolean ok = false;
        try {
            String scheme = target.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                copyFile(Path.of(target), tmp, sizeBytes);
            } else {
                download(target, tmp);
            }
            verify(tmp, sha256, sizeBytes, uri);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                deleteQuietly(tmp);
            }
        }
    }

    private static URI parse(String uri) throws PolicyFetchException {
        if (uri == null || uri.isBlank()) {
            throw new PolicyFetchException("policy update has no weights URI");
        }
        if (uri.startsWith("/")) {
            return Path.of(uri).toUri();
        }
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
                throw new PolicyFetchException("unsupported weights URI '" + uri + "' (use file://, http:// or https://)");
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw new PolicyFetchException("malformed weights URI '" + uri + "': " + e.getMessage(), e);
        }
    }

    private static void copyFile(Path source, Path tmp, long sizeBytes) throws PolicyFetchException {
        try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (sizeBytes >= 0 && total > sizeBytes) {
                    throw new PolicyFetchException("weights file " + source + " is larger than the announced " + sizeBytes + " bytes");
                }
                out.write(buf, 0, r);
            }
        } catch (IOException e) {
            throw new PolicyFetchException("cannot read weights file " + source + ": " + e, e);
        }
    }

    private void download(URI target, Path tmp) throws PolicyFetchException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<Path>> call = client().sendAsync(request, HttpResponse.BodyHandlers.ofFile(tmp));
        HttpResponse<Path> response;
        try {
            response = call.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new PolicyFetchException("download of " + target + " did not finish within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new PolicyFetchException("cannot download " + target + ": " + e.getCause(), e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new PolicyFetchException("download of " + target + " answered HTTP " + response.statusCode());
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    private static void verify(Path file, String sha256, long sizeBytes, String uri) throws PolicyFetchException {
        try {
            long size = Files.size(file);
            if (sizeBytes >= 0 && size != sizeBytes) {
                throw new PolicyFetchException("weights at " + uri + " have " + size + " bytes, announced " + sizeBytes);
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new PolicyFetchException("weights at " + uri + " have sha256 " + actual + ", announced " + sha256.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new PolicyFetchException("cannot read downloaded weights of " + uri + ": " + e, e);
        }
    }

    /** Hex sha256 of a file. */
    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}

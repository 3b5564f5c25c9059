package org.ddpp.ops.dashboard;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The dashboard is read-only: any method but GET and HEAD, on any path (known or not), is answered 405 with
 * {@code Allow: GET, HEAD} before routing can turn it into a 404. The one exception is {@code POST /api/steer}
 * on a dashboard started with steering allowed ({@code ddpp demo --allow-steering}). Active only in the
 * dashboard's context.
 */
@ServerFilter(Filter.MATCH_ALL_PATTERN)
@Requires(beans = DashboardSource.class)
final class DashboardMethodFilter implements Ordered {

    private final DashboardSource source;

    DashboardMethodFilter(DashboardSource source) {
        this.source = source;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> onlyGetAndHead(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return null;
        }
        if (method == HttpMethod.POST && DashboardController.STEER_PATH.equals(request.getPath()) && source.steeringAllowed()) {
            return null;
        }
        return DashboardController.json(HttpStatus.METHOD_NOT_ALLOWED,
                "{\"error\":\"method " + request.getMethodName().replace("\"", "") + " not allowed\"}")
                .header(HttpHeaders.ALLOW, "GET, HEAD");
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}

package org.ddpp.ops.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * What a role's {@code /metrics} and {@code /health} endpoints report: its Prometheus registry, whether it is
 * alive (its threads run) and whether it is ready (connected and doing its work).
 */
public record MetricsSource(PrometheusMeterRegistry registry, BooleanSupplier live, BooleanSupplier ready) {}

package dev.portico.edge;

import io.vertx.core.http.HttpClient;

/**
 * What one edge verticle's request handlers share — the HTTP and the HTTPS listener's alike, so
 * that route cache, backend pool, target health and metrics are one per event loop.
 */
record EdgeServices(RouteResolver routes, HttpClient backends, EdgeMetrics metrics, AccessLog accessLog,
    SiteGate gate, TenantAddresses addresses, TargetBalancer balancer, long maxBodyBytes) {
}

package dev.portico.edge.http;

import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.observe.AccessLog;
import dev.portico.edge.observe.EdgeMetrics;
import dev.portico.edge.route.RouteResolver;
import dev.portico.edge.upstream.Backends;

/**
 * What one edge verticle's request handlers share — the HTTP and the HTTPS listener's alike, so
 * that route cache (with each site's filters and upstream state), backend connections and
 * metrics are one per event loop.
 *
 * @param maxBodyBytes the node's request body limit, for sites without {@code maxBodyBytes}
 */
public record EdgeServices(RouteResolver routes, Backends backends, TenantAddresses addresses,
    AcmeChallenges acmeChallenges, EdgeMetrics metrics, AccessLog accessLog, long maxBodyBytes) {
}
